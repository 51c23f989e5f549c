using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Lists sorted by name now sort by <c>lower(name COLLATE "C")</c> (see Http/NameOrder): the two indexes
/// that served the old <c>lower(name)</c> order are rebuilt on the new key.
/// Sign-in no longer locks an account (anyone could lock the admin out with five requests): failures are
/// counted per (email, source address) in sign_in_throttles, whoever the email belongs to, so the answer
/// is the same for accounts that do not exist. The per-account lock columns go.
/// </summary>
[Migration(9, "Index the name order of lists by its byte-wise key; throttle sign-in per email and address")]
public sealed class M0009_NameOrderAndSignInThrottle : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        DROP INDEX templates_provider_name;
        CREATE INDEX templates_provider_name ON templates (provider, lower(name COLLATE "C"), (id COLLATE "C"));
        DROP INDEX deployments_provider_name;
        CREATE INDEX deployments_provider_name ON deployments (provider, lower(name COLLATE "C"), id);

        CREATE TABLE sign_in_throttles (
            email           text NOT NULL,
            source          text NOT NULL,
            failures        int NOT NULL,
            blocked_until   timestamptz,
            last_failure_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (email, source)
        );
        CREATE INDEX sign_in_throttles_quiet ON sign_in_throttles (last_failure_at);
        ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;
        """);
}
