using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

[Migration(5, "Users, sessions, API tokens, the audit log, and four-eyes approval")]
public sealed class M0005_Access : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE users (
            id            uuid PRIMARY KEY,
            email         text NOT NULL,
            display_name  text NOT NULL,
            role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'approver', 'admin')),
            password_hash text,
            disabled      boolean NOT NULL DEFAULT false,
            failed_logins int NOT NULL DEFAULT 0,
            locked_until  timestamptz,
            created_at    timestamptz NOT NULL DEFAULT now(),
            updated_at    timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX users_email ON users (lower(email));

        -- Only hashes of session and API tokens are stored; the tokens themselves are shown once.
        CREATE TABLE sessions (
            token_hash text PRIMARY KEY,
            user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL
        );

        CREATE TABLE api_tokens (
            id           uuid PRIMARY KEY,
            name         text NOT NULL,
            kind         text NOT NULL CHECK (kind IN ('personal', 'pipeline')),
            user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            pipeline_id  uuid REFERENCES pipelines (id) ON DELETE CASCADE,
            token_hash   text NOT NULL UNIQUE,
            prefix       text NOT NULL,
            expires_at   timestamptz,
            last_used_at timestamptz,
            revoked_at   timestamptz,
            created_at   timestamptz NOT NULL DEFAULT now(),
            CHECK ((kind = 'pipeline') = (pipeline_id IS NOT NULL))
        );
        CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);

        CREATE TABLE audit_events (
            id            uuid PRIMARY KEY,
            at            timestamptz NOT NULL DEFAULT now(),
            actor         text NOT NULL,
            action        text NOT NULL,
            resource_type text NOT NULL,
            resource_id   text,
            details       text,
            source_ip     text
        );
        CREATE INDEX audit_events_at ON audit_events (at DESC, id DESC);
        CREATE INDEX audit_events_actor ON audit_events (actor, at DESC);
        CREATE INDEX audit_events_resource ON audit_events (resource_type, resource_id, at DESC);

        ALTER TABLE deployments ADD COLUMN require_distinct_approver boolean NOT NULL DEFAULT false;
        """);
}
