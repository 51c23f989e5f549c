using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

[Migration(4, "Pipelines, their steps, and their runs")]
public sealed class M0004_Pipelines : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE pipelines (
            id          uuid PRIMARY KEY,
            provider    text NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp')),
            name        text NOT NULL,
            description text NOT NULL DEFAULT '',
            -- Bumped by every change; the ETag clients send back in If-Match.
            version     int NOT NULL DEFAULT 1,
            run_count   int NOT NULL DEFAULT 0,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX pipelines_unique_name ON pipelines (provider, lower(name));
        CREATE INDEX pipelines_name_search ON pipelines USING gin (lower(name) gin_trgm_ops);

        CREATE TABLE pipeline_steps (
            id            uuid PRIMARY KEY,
            pipeline_id   uuid NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
            deployment_id uuid NOT NULL REFERENCES deployments (id),
            position      int NOT NULL,
            UNIQUE (pipeline_id, deployment_id),
            UNIQUE (pipeline_id, position) DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX pipeline_steps_deployment ON pipeline_steps (deployment_id);

        CREATE TABLE pipeline_runs (
            id               uuid PRIMARY KEY,
            pipeline_id      uuid NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
            number           int NOT NULL,
            status           text NOT NULL CHECK (status IN ('queued', 'running', 'awaitingApproval', 'completed', 'failed', 'cancelled')),
            triggered_by     text NOT NULL,
            trigger_source   text NOT NULL CHECK (trigger_source IN ('ui', 'api', 'ci')),
            idempotency_key  text,
            current_position int,
            cancelled_by     text,
            created_at       timestamptz NOT NULL DEFAULT now(),
            started_at       timestamptz,
            finished_at      timestamptz,
            UNIQUE (pipeline_id, number),
            UNIQUE (pipeline_id, idempotency_key)
        );
        CREATE INDEX pipeline_runs_history ON pipeline_runs (pipeline_id, number DESC);
        -- One active run per pipeline, whatever races the API sees.
        CREATE UNIQUE INDEX pipeline_runs_one_active ON pipeline_runs (pipeline_id) WHERE status IN ('queued', 'running', 'awaitingApproval');

        -- The steps as they were when the run was triggered: later edits of the pipeline never change them.
        CREATE TABLE pipeline_run_steps (
            pipeline_run_id   uuid NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
            position          int NOT NULL,
            deployment_id     uuid NOT NULL,
            deployment_name   text NOT NULL,
            status            text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'skipped', 'failed', 'cancelled', 'notRun')),
            deployment_run_id uuid,
            started_at        timestamptz,
            finished_at       timestamptz,
            PRIMARY KEY (pipeline_run_id, position)
        );
        CREATE INDEX deployment_runs_pipeline_run ON deployment_runs (pipeline_run_id) WHERE pipeline_run_id IS NOT NULL;
        """);
}
