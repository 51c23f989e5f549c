using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

[Migration(2, "Templates, their versions, and deployments")]
public sealed class M0002_TemplatesAndDeployments : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE templates (
            id                 text PRIMARY KEY,
            provider           text NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp')),
            name               text NOT NULL,
            description        text NOT NULL,
            category           text NOT NULL CHECK (category IN ('infrastructure', 'application', 'database', 'combo')),
            icon               text,
            current_version_id uuid,
            removed_at         timestamptz,
            created_at         timestamptz NOT NULL DEFAULT now(),
            updated_at         timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX templates_provider_name ON templates (provider, lower(name), id);

        -- The files themselves live here, so any worker runs exactly the version a run snapshotted.
        CREATE TABLE template_versions (
            id           uuid PRIMARY KEY,
            template_id  text NOT NULL REFERENCES templates (id),
            content_hash text NOT NULL,
            variables    jsonb NOT NULL,
            files        jsonb NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            UNIQUE (template_id, content_hash)
        );
        ALTER TABLE templates ADD CONSTRAINT templates_current_version
            FOREIGN KEY (current_version_id) REFERENCES template_versions (id);

        CREATE TABLE deployments (
            id                   uuid PRIMARY KEY,
            provider             text NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp')),
            project_id           uuid NOT NULL REFERENCES projects (id),
            template_id          text NOT NULL REFERENCES templates (id),
            cloud_environment_id uuid NOT NULL REFERENCES cloud_environments (id),
            name                 text NOT NULL,
            description          text NOT NULL DEFAULT '',
            variables            jsonb NOT NULL DEFAULT '{}',
            sensitive_keys       text[] NOT NULL DEFAULT '{}',
            sensitive_encrypted  bytea,
            tags                 text[] NOT NULL DEFAULT '{}',
            missing_variables    text[] NOT NULL DEFAULT '{}',
            -- What the last finished run left in the cloud; the engine keeps these current.
            outcome              text NOT NULL DEFAULT 'neverDeployed' CHECK (outcome IN ('neverDeployed', 'deployed', 'failed', 'destroyed')),
            -- Set when an apply starts (it may leave resources even if it fails), cleared by a completed destroy.
            has_infrastructure   boolean NOT NULL DEFAULT false,
            created_at           timestamptz NOT NULL DEFAULT now(),
            updated_at           timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX deployments_unique_name ON deployments (project_id, lower(name));
        CREATE INDEX deployments_provider_name ON deployments (provider, lower(name), id);
        CREATE INDEX deployments_name_search ON deployments USING gin (lower(name) gin_trgm_ops);
        CREATE INDEX deployments_template ON deployments (template_id);
        CREATE INDEX deployments_cloud_environment ON deployments (cloud_environment_id);
        """);
}
