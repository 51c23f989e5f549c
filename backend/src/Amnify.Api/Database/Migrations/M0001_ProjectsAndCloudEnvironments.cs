using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

[Migration(1, "Projects and cloud environments")]
public sealed class M0001_ProjectsAndCloudEnvironments : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        CREATE EXTENSION IF NOT EXISTS pg_trgm;

        CREATE TABLE projects (
            id          uuid PRIMARY KEY,
            provider    text NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp')),
            name        text NOT NULL,
            description text NOT NULL DEFAULT '',
            tags        text[] NOT NULL DEFAULT '{}',
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX projects_unique_name ON projects (provider, lower(name));
        CREATE INDEX projects_name_search ON projects USING gin (lower(name) gin_trgm_ops);

        CREATE TABLE cloud_environments (
            id                    uuid PRIMARY KEY,
            provider              text NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp')),
            name                  text NOT NULL,
            region                text NOT NULL,
            account_id            text NOT NULL,
            credential_keys       text[] NOT NULL DEFAULT '{}',
            credentials_encrypted bytea,
            created_at            timestamptz NOT NULL DEFAULT now(),
            updated_at            timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX cloud_environments_unique_name ON cloud_environments (provider, lower(name));
        CREATE INDEX cloud_environments_name_search ON cloud_environments USING gin (lower(name) gin_trgm_ops);
        """);
}
