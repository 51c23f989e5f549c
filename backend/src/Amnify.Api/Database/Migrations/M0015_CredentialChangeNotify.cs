using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Every change a cached credential stands on notifies the API processes, whoever makes it (a use case, a script,
/// an admin in psql), so their credential caches evict at once (Auth/VerifiedCredentials.cs). A token's last-used time
/// and a user's sign-in bookkeeping are not such changes. One payload per transaction: PostgreSQL folds repeats.
/// </summary>
[Migration(15, "Credential changes notify the credential caches")]
public sealed class M0015_CredentialChangeNotify : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        CREATE FUNCTION amnify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('amnify_credentials', 'changed');
            RETURN NULL;
        END $$;

        CREATE TRIGGER api_tokens_changed AFTER UPDATE ON api_tokens FOR EACH ROW
            WHEN ((OLD.revoked_at, OLD.expires_at, OLD.user_id, OLD.token_hash, OLD.kind, OLD.name, OLD.pipeline_id)
                  IS DISTINCT FROM (NEW.revoked_at, NEW.expires_at, NEW.user_id, NEW.token_hash, NEW.kind, NEW.name, NEW.pipeline_id))
            EXECUTE FUNCTION amnify_credentials_changed();
        CREATE TRIGGER api_tokens_deleted AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION amnify_credentials_changed();

        CREATE TRIGGER users_changed AFTER UPDATE ON users FOR EACH ROW
            WHEN ((OLD.role, OLD.disabled, OLD.email) IS DISTINCT FROM (NEW.role, NEW.disabled, NEW.email))
            EXECUTE FUNCTION amnify_credentials_changed();
        CREATE TRIGGER users_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION amnify_credentials_changed();

        CREATE TRIGGER sessions_changed AFTER UPDATE ON sessions FOR EACH ROW
            WHEN ((OLD.expires_at, OLD.user_id, OLD.token_hash) IS DISTINCT FROM (NEW.expires_at, NEW.user_id, NEW.token_hash))
            EXECUTE FUNCTION amnify_credentials_changed();
        CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION amnify_credentials_changed();
        """);
}
