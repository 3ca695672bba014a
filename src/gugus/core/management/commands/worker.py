import contextlib
import time

from django.db import DatabaseError, connection
from django_tasks_db.management.commands import db_worker

from gugus.core import jobs


class Worker(db_worker.Worker):
    """django-tasks' database worker that says it is alive and, beside its jobs, gives the
    jobs of dead workers back to the queue (`gugus.core.jobs.Heartbeat`)."""

    def run(self) -> None:
        jobs.register_worker(self.worker_id)
        heartbeat = jobs.Heartbeat(self.worker_id, self.backend_name)
        heartbeat.start()
        try:
            while True:
                try:
                    super().run()
                    return  # --batch or --max-tasks: done
                except DatabaseError:
                    # The database went away (a restart, a failover): wait for it, give
                    # back the job that broke off, and go on rather than leave the jobs
                    # unrun until someone restarts the worker.
                    db_worker.logger.warning("The database did not answer; waiting for it.")
                    self.wait_and_release()
                    if not self.running:
                        return
        finally:
            heartbeat.stop()
            # If the database is away, the row goes stale and a later reclaim removes it.
            with contextlib.suppress(DatabaseError):
                jobs.unregister_worker(self.worker_id)

    def wait_and_release(self) -> None:
        while self.running:
            connection.close()
            time.sleep(max(self.interval, 1))
            try:
                jobs.release(self.worker_id, self.backend_name)
                return
            except DatabaseError:
                continue


class Command(db_worker.Command):
    help = (
        "Run the background jobs (django-tasks' database worker) so that a job whose "
        "worker died is run again. Give --queue-name '*' for every queue."
    )

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
