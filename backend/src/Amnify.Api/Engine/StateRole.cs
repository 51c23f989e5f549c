using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// The database role Terraform's pg backend connects as, never the app's own: it may use the
/// <c>tfstate_*</c> schemas the engine prepares and the sequence they share, and nothing else.
/// <c>Engine:StateConnectionString</c> names a role the admins created; without it the engine manages
/// <c>&lt;database&gt;_tfstate</c> itself, its password derived from the secrets key (HKDF) so every
/// worker agrees without another file, created or updated at start-up (the app role needs CREATEROLE).
/// The engine creates each schema and its table before Terraform runs, so the role needs no DDL rights.
/// </summary>
public sealed class StateRole
{
    private const string Sequence = "public.global_states_id_seq";
    private readonly NpgsqlConnectionStringBuilder app;
    private readonly NpgsqlConnectionStringBuilder state;
    private readonly bool managed;

    private readonly ILogger<StateRole> log;

    public StateRole(IConfiguration configuration, IOptions<EngineOptions> options, ILogger<StateRole> log)
    {
        this.log = log;
        app = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Amnify"));
        if (options.Value.StateConnectionString is { Length: > 0 } configured)
            state = new NpgsqlConnectionStringBuilder(configured);
        else
        {
            managed = true;
            var database = app.Database ?? app.Username ?? "postgres";
            state = new NpgsqlConnectionStringBuilder(app.ConnectionString)
            {
                Username = RoleName(database),
                Password = DerivePassword(configuration["Secrets:Key"], database),
            };
        }
    }

    public string Username => state.Username ?? "postgres";

    /// <summary>Masked in every run log: Terraform's environment carries it.</summary>
    public string? Password => state.Password;

    /// <summary>The CA file that verifies the state database (bound read-only into the sandbox).</summary>
    public string? RootCertificate => state.RootCertificate is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The schemas are created as the app role when state lives in the app's database, else by the state role itself.</summary>
    private string DdlConnectionString =>
        string.Equals(app.Host, state.Host, StringComparison.OrdinalIgnoreCase) && app.Port == state.Port && app.Database == state.Database
            ? app.ConnectionString
            : state.ConnectionString;

    private bool GrantsNeeded => new NpgsqlConnectionStringBuilder(DdlConnectionString).Username != Username;

    public static string RoleName(string database)
    {
        var name = (database + "_tfstate").ToLowerInvariant();
        // PostgreSQL cuts names at 63 bytes; a cut name could meet another database's.
        return Encoding.UTF8.GetByteCount(name) <= 63
            ? name
            : "amnify_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..16] + "_tfstate";
    }

    public static string DerivePassword(string? secretsKey, string database)
    {
        var key = Convert.FromBase64String(secretsKey ?? throw new InvalidOperationException("Secrets__Key is not set."));
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, Encoding.UTF8.GetBytes(database), "amnify:tfstate-role-password"u8.ToArray());
        return Convert.ToBase64String(derived).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// The pg backend's connection (a lib/pq key=value string: socket hosts and quotes work, unlike a URL),
    /// with Npgsql's TLS settings carried over. lib/pq has no "prefer": Prefer and Allow connect without TLS.
    /// </summary>
    public string TerraformConnection
    {
        get
        {
            var sslMode = state.SslMode switch
            {
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "disable",
            };
            var parts = new List<string>
            {
                $"host={Quote(state.Host ?? "localhost")}", $"port={state.Port}", $"dbname={Quote(state.Database ?? Username)}",
                $"user={Quote(Username)}", $"sslmode={sslMode}", "application_name=amnify-terraform",
            };
            if (state.Password is { Length: > 0 } password) parts.Add($"password={Quote(password)}");
            if (RootCertificate is { } ca) parts.Add($"sslrootcert={Quote(ca)}");
            return string.Join(' ', parts);
        }
    }

    private static string Quote(string value) => "'" + value.Replace(@"\", @"\\").Replace("'", @"\'") + "'";

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// Start-up (worker roles): the managed role exists with the derived password, the shared sequence exists,
    /// and the role may use it; then a connection as the role proves it can log in.
    /// </summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!managed && state.Username == app.Username && DdlConnectionString == app.ConnectionString)
            log.LogWarning("Engine__StateConnectionString connects as the app's own role '{Role}': template code can read and change every table.", Username);
        await using (var connection = new NpgsqlConnection(DdlConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Workers start together; concurrent ALTER ROLE or CREATE SEQUENCE IF NOT EXISTS on one name fail.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('amnify:tfstate-role'))", transaction: transaction, cancellationToken: cancellationToken));
            if (managed) await CreateOrUpdateRole(connection, transaction, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition($"CREATE SEQUENCE IF NOT EXISTS {Sequence} AS bigint", transaction: transaction, cancellationToken: cancellationToken));
            if (GrantsNeeded)
            {
                var role = Identifier(Username);
                await connection.ExecuteAsync(new CommandDefinition($"""
                    GRANT CONNECT ON DATABASE {Identifier(state.Database!)} TO {role};
                    GRANT USAGE ON SCHEMA public TO {role};
                    GRANT USAGE, SELECT, UPDATE ON SEQUENCE {Sequence} TO {role};
                    """, transaction: transaction, cancellationToken: cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        try
        {
            await using var probe = new NpgsqlConnection(state.ConnectionString);
            await probe.OpenAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"Terraform's state role '{Username}' cannot connect to the database: {e.Message}", e);
        }
    }

    private async Task CreateOrUpdateRole(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var rights = await connection.QuerySingleAsync<(bool CanCreate, bool Exists)>(new CommandDefinition(
            """
            SELECT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user),
                   EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @Username)
            """, new { Username }, transaction, cancellationToken: cancellationToken));
        if (!rights.CanCreate)
            throw new InvalidOperationException(
                $"Terraform state needs its own database role. Either give the app's role CREATEROLE (ALTER ROLE {Identifier(app.Username ?? "")} CREATEROLE) "
                + $"so the engine manages '{Username}' itself, or create a role that can connect and set Engine__StateConnectionString to its connection string.");
        // A SCRAM verifier, never the password: statements can end up in the server's log.
        var statement = rights.Exists ? "ALTER" : "CREATE";
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"{statement} ROLE {Identifier(Username)} WITH LOGIN PASSWORD '{ScramVerifier(Password!)}'", transaction: transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new InvalidOperationException(
                $"The app's role cannot manage Terraform's state role '{Username}' ({e.MessageText}): drop that role so the engine recreates it, "
                + "or set Engine__StateConnectionString to a role the admins manage.", e);
        }
    }

    /// <summary>The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677), with PostgreSQL's defaults.</summary>
    public static string ScramVerifier(string password) => ScramVerifier(password, RandomNumberGenerator.GetBytes(16), 4096);

    public static string ScramVerifier(string password, byte[] salt, int iterations)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>
    /// Whether the deployment's schema is ready as <see cref="PrepareSchema"/> leaves it: its table and index exist and,
    /// where the state role is not the one that made them, the role has its rights. Read from the catalog, so a schema
    /// prepared by any worker (or dropped by hand since) is seen as it is, with no lock and no write.
    /// </summary>
    private const string SchemaReady = """
        SELECT CASE WHEN to_regclass(@Table) IS NULL OR to_regclass(@Index) IS NULL THEN false
                    WHEN NOT @Grants THEN true
                    ELSE has_schema_privilege(@Role, @Schema, 'USAGE') AND has_table_privilege(@Role, @Table, 'SELECT, INSERT, UPDATE, DELETE') END
        """;

    private sealed record SchemaCheck(string Schema, string Table, string Index, string Role, bool Grants);

    /// <summary>
    /// Before a run's Terraform: the deployment's schema, the table and index Terraform's pg backend would create
    /// (same definitions), and the state role's rights on them. Only when the catalog says they are not all there yet:
    /// the DDL and GRANTs rewrite catalog rows (and GRANT does even when nothing changes), which every backend then
    /// has to reload, so a schema once prepared costs one catalog read. Schemas made before the state role existed (by
    /// the app role, without grants) are granted here on their next run.
    /// </summary>
    public async Task PrepareSchema(Guid deploymentId, CancellationToken cancellationToken)
    {
        var schema = SchemaName(deploymentId);
        await using var connection = new NpgsqlConnection(DdlConnectionString);
        await connection.OpenAsync(cancellationToken);
        var check = new SchemaCheck(schema, $"{schema}.states", $"{schema}.states_by_name", Username, GrantsNeeded);
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SchemaReady, check, cancellationToken: cancellationToken))) return;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"""
            SELECT pg_advisory_xact_lock(hashtext('amnify:{schema}'));
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.states (
                id bigint NOT NULL DEFAULT nextval('{Sequence}') PRIMARY KEY,
                name text UNIQUE,
                data text);
            CREATE UNIQUE INDEX IF NOT EXISTS states_by_name ON {schema}.states (name);
            """, transaction: transaction, cancellationToken: cancellationToken));
        if (GrantsNeeded)
            await connection.ExecuteAsync(new CommandDefinition($"""
                GRANT USAGE ON SCHEMA {schema} TO {Identifier(Username)};
                GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.states TO {Identifier(Username)};
                """, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public static string SchemaName(Guid deploymentId) => $"tfstate_{deploymentId:N}";

    private sealed record Workspace(string Name);

    /// <summary>
    /// The root outputs of the deployment's state as the last apply wrote it, in the shape of
    /// <c>terraform output -json</c> (state v4 keeps <c>value</c>, <c>type</c>, <c>sensitive</c> per output), so an
    /// apply needs no further CLI call for them. Sensitive ones are in clear: callers mask or seal them. Null when the
    /// deployment has no state yet or it is not readable as plain JSON (an OpenTofu encrypted state): callers then ask
    /// the CLI or report the state missing. Read as the role that made the schema, never with Terraform's files.
    /// </summary>
    public async Task<string?> ReadOutputsJson(Guid deploymentId, CancellationToken cancellationToken)
    {
        var schema = SchemaName(deploymentId);
        await using var connection = new NpgsqlConnection(DdlConnectionString);
        await connection.OpenAsync(cancellationToken);
        string? data;
        try
        {
            data = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                $"SELECT data FROM {schema}.states WHERE name = @Name", new Workspace("default"), cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // Never prepared: the deployment has not run yet. One round trip instead of asking the catalog first.
            return null;
        }
        if (string.IsNullOrEmpty(data)) return null;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(data) is System.Text.Json.Nodes.JsonObject state
                   && state["outputs"] is System.Text.Json.Nodes.JsonObject outputs
                ? outputs.ToJsonString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The same outputs by name, for wiring them into later pipeline steps; null when there is no state.</summary>
    public async Task<Dictionary<string, StateOutput>?> ReadOutputs(Guid deploymentId, CancellationToken cancellationToken)
    {
        if (await ReadOutputsJson(deploymentId, cancellationToken) is not { } json) return null;
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(o => o.Name, o => new StateOutput(
            o.Value.GetProperty("value").Clone(),
            o.Value.TryGetProperty("sensitive", out var sensitive) && sensitive.ValueKind == System.Text.Json.JsonValueKind.True));
    }

    /// <summary>What Terraform needs to reach its state: never the app's credentials, and no DDL of its own.</summary>
    public Dictionary<string, string> TerraformEnvironment(Guid deploymentId) => new()
    {
        ["PG_CONN_STR"] = TerraformConnection,
        ["PG_SCHEMA_NAME"] = SchemaName(deploymentId),
        ["PG_SKIP_SCHEMA_CREATION"] = "true",
        ["PG_SKIP_TABLE_CREATION"] = "true",
        ["PG_SKIP_INDEX_CREATION"] = "true",
    };
}

/// <summary>One output of a Terraform state.</summary>
public sealed record StateOutput(System.Text.Json.JsonElement Value, bool Sensitive);
