-- pactoria upgrade script 0.1.0 -> 0.2.0, built by the Makefile from
-- src/sql/upgrade/0.1.0--0.2.0/[0-9]*.sql in order: one file per concern, each
-- holding what that concern changed in installed objects since 0.1.0.  Nothing
-- that holds data or grants is dropped and re-created.
-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION pactoria UPDATE TO '0.2.0'" to load this file. \quit
