/*
 * partition_worker.h
 *		Scheduling of partition maintenance inside the server: the settings
 *		pactoria.maintenance_interval and pactoria.maintenance_databases, and
 *		the background workers that run pactoria.run_maintenance().
 */
#ifndef PACTORIA_PARTITION_WORKER_H
#define PACTORIA_PARTITION_WORKER_H

/*
 * Define the maintenance settings; called from _PG_init.  When the library
 * is being loaded through shared_preload_libraries it also registers the
 * maintenance launcher (a background worker).
 */
extern void pactoria_define_partition_settings(void);

#endif							/* PACTORIA_PARTITION_WORKER_H */
