/*
 * session_token.h
 *		The digest of a session, refresh or invitation token's secret
 *		(session_token.c), for pactoria.parse_session_token() and
 *		resume_session().
 */
#ifndef PACTORIA_SESSION_TOKEN_H
#define PACTORIA_SESSION_TOKEN_H

#include "common/sha2.h"

/* The secret: the last 32 bytes of a decoded token (signed_context.h). */
#define SESSION_TOKEN_SECRET_LENGTH 32

/* SHA-256 of a token's secret, as user_sessions.token_hash holds it. */
extern void pactoria_token_secret_digest(const uint8 *secret, uint8 digest[PG_SHA256_DIGEST_LENGTH]);

#endif							/* PACTORIA_SESSION_TOKEN_H */
