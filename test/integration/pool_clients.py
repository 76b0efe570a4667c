"""Concurrent application clients through PgBouncer in transaction mode.

Used by test/integration/86_pgbouncer_pool.sh.  Reads a JSON description of the
tenants (company id, its admin's e-mail address and password, how many contracts
it has) on stdin, runs several client threads per tenant, each on its own client
connection to the pool, and prints one JSON object with what it saw.  Every
client logs in (authenticate) and then, in a loop:

  1. a request: BEGIN; resume_session(token); read the contracts it may see;
     insert one risk; COMMIT -- it must see exactly its own company's contracts;
  2. a transaction that presents no credential: it must see no contract and
     have no tenant context, and a write must be refused;
  3. a hostile step: inside a request, copy the signed context into a
     session-level setting (set_config(..., false)) and try set_context() --
     the setting must not outlive the transaction, set_context must be refused.

With fewer server connections than clients, the pool hands each server
connection to many clients in turn; the script records which server process
(pg_backend_pid) served which client, so the caller can check that the
connections really were shared.  At the end it logs out (end_session), after
which its token must no longer resume.
"""
import json
import sys
import threading

import psycopg
from psycopg import errors

ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 40
CLIENTS_PER_TENANT = int(sys.argv[3]) if len(sys.argv) > 3 else 3


def client(conninfo, tenant, number, report, lock):
    seen = {"requests": 0, "leaks": [], "errors": [], "pids": set(), "risks": 0}
    try:
        conn = psycopg.connect(conninfo, autocommit=False, prepare_threshold=None)
    except Exception as exc:  # noqa: BLE001 -- reported to the caller
        seen["errors"].append(f"connect: {exc}")
        with lock:
            report.append((tenant["company_id"], seen))
        return
    mine = tenant["company_id"]
    try:
        # 0. log in through the pool: a session of this client's own
        with conn.transaction():
            token = conn.execute("SELECT session_token FROM pactoria.authenticate(%s, %s)",
                                 (tenant["email"], tenant["password"])).fetchone()[0]
        for round_number in range(ROUNDS):
            # 1. a request with the tenant's credential
            with conn.transaction():
                cur = conn.cursor()
                cur.execute("SELECT company_id::text FROM pactoria.resume_session(%s)",
                            (token,))
                got = cur.fetchone()[0]
                if got != mine:
                    seen["leaks"].append(f"resume_session returned {got}")
                cur.execute("SELECT pg_backend_pid(), count(*), "
                            "count(*) FILTER (WHERE company_id::text <> %s) "
                            "FROM pactoria.contracts", (mine,))
                pid, visible, foreign = cur.fetchone()
                seen["pids"].add(pid)
                if visible != tenant["contracts"] or foreign != 0:
                    seen["leaks"].append(
                        f"request saw {visible} contracts, {foreign} of another company")
                cur.execute(
                    "INSERT INTO pactoria.risk_assessments "
                    "(company_id, risk_name, risk_category, likelihood, impact) "
                    "VALUES (%s, %s, 'operational', 2, 3)",
                    (mine, f"pool client {number} round {round_number}"))
                seen["risks"] += 1
                seen["requests"] += 1

            # 2. no credential: nothing visible, nothing writable
            with conn.transaction():
                cur = conn.cursor()
                cur.execute("SELECT pg_backend_pid(), count(*), "
                            "pactoria.current_company_id()::text FROM pactoria.contracts")
                pid, visible, context = cur.fetchone()
                seen["pids"].add(pid)
                if visible != 0 or context is not None:
                    seen["leaks"].append(
                        f"without a credential: {visible} contracts, context {context}")
            try:
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO pactoria.risk_assessments "
                        "(company_id, risk_name, risk_category, likelihood, impact) "
                        "VALUES (%s, 'written without a credential', 'operational', 1, 1)",
                        (mine,))
                seen["leaks"].append("a write without a credential was accepted")
            except errors.InsufficientPrivilege:
                pass

            # 3. hostile: keep the context for the session, name a tenant directly
            with conn.transaction():
                conn.execute("SELECT * FROM pactoria.resume_session(%s)",
                             (token,))
                conn.execute("SELECT pg_catalog.set_config('pactoria.context', "
                             "pg_catalog.current_setting('pactoria.context'), false)")
            try:
                with conn.transaction():
                    conn.execute("SELECT pactoria.set_context(%s, NULL, false)", (mine,))
                seen["leaks"].append("set_context was executable by the application role")
            except errors.InsufficientPrivilege:
                pass
        # 4. logout: the token no longer opens the session
        with conn.transaction():
            conn.execute("SELECT pactoria.end_session(%s)", (token,))
        try:
            with conn.transaction():
                conn.execute("SELECT * FROM pactoria.resume_session(%s)", (token,))
            seen["leaks"].append("a session ended by logout still resumes")
        except errors.InvalidAuthorizationSpecification:
            pass
    except Exception as exc:  # noqa: BLE001 -- reported to the caller
        seen["errors"].append(f"{type(exc).__name__}: {str(exc).strip()[:200]}")
    finally:
        conn.close()
    with lock:
        report.append((mine, seen))


def main():
    conninfo = sys.argv[1]
    tenants = json.load(sys.stdin)
    report, lock, threads = [], threading.Lock(), []
    number = 0
    for tenant in tenants:
        for _ in range(CLIENTS_PER_TENANT):
            number += 1
            threads.append(threading.Thread(
                target=client, args=(conninfo, tenant, number, report, lock)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    pid_clients = {}
    for index, (_, seen) in enumerate(report):
        for pid in seen["pids"]:
            pid_clients.setdefault(pid, set()).add(index)
    risks = {}
    for company, seen in report:
        risks[company] = risks.get(company, 0) + seen["risks"]
    print(json.dumps({
        "clients": len(report),
        "requests": sum(seen["requests"] for _, seen in report),
        "leaks": [leak for _, seen in report for leak in seen["leaks"]][:20],
        "errors": [error for _, seen in report for error in seen["errors"]][:20],
        "server_processes": len(pid_clients),
        "most_clients_per_process": max((len(c) for c in pid_clients.values()), default=0),
        "risks_per_company": risks,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
