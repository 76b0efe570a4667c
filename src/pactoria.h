/*
 * pactoria.h
 *		Declarations shared by the C files of the pactoria extension.
 *
 * Each concern lives in its own file (tenant_context.c, audit_trigger.c, ...);
 * this header only names what pactoria.c needs to call from _PG_init.
 */
#ifndef PACTORIA_H
#define PACTORIA_H

/* GUC prefix reserved by the extension: pactoria.* */
#define PACTORIA_GUC_PREFIX "pactoria"

#endif							/* PACTORIA_H */
