using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amnify.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Amnify.Api.Tests;

/// <summary>
/// The real API on a real PostgreSQL, connected the way it is deployed: as a password-protected role that
/// is not a superuser and owns its database, over TLS with the server's certificate verified. Each test
/// collection gets a database of its own, created on the local cluster (backend/scripts/pg.sh) and dropped
/// afterwards. Tests stay independent by creating their own data, never by resetting the database.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The cluster's superuser: only the test setup uses it, to create databases and roles and to inspect rows.</summary>
    public static readonly string ClusterConnectionString =
        Environment.GetEnvironmentVariable("AMNIFY_TEST_PG") ?? "Host=127.0.0.1;Port=5433;Username=postgres;Database=postgres";

    /// <summary>The role the API connects as: what a managed database gives an application (scram-sha-256 in pg_hba.conf).</summary>
    public const string AppRole = "amnify_test";
    public const string AppPassword = "amnify-test-password";

    /// <summary>Terraform state's own role: LOGIN and nothing else until the engine grants it the tfstate_* schemas.</summary>
    public const string StateRole = "amnify_test_tfstate";
    public const string StatePassword = "amnify-test-state-password";

    private static string CaFile =>
        Environment.GetEnvironmentVariable("AMNIFY_TEST_PG_CA") ?? Path.Combine(RepositoryRoot, ".data", "pg-tls", "ca.crt");

    private readonly string database = $"amnify_test_{Guid.NewGuid():N}";

    /// <summary>One key per database: every host on it (derived factories, second instances, their workers) must read the same secrets.</summary>
    public string SecretKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The API's connection string: the app role, its password, TLS verified against the cluster's CA.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(ClusterConnectionString)
    {
        Database = database,
        Username = AppRole,
        Password = AppPassword,
        SslMode = SslMode.VerifyFull,
        RootCertificate = CaFile,
    }.ToString();

    /// <summary>Engine:StateConnectionString: the state role on the same database, as docker-compose.yml sets it.</summary>
    public string StateConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString) { Username = StateRole, Password = StatePassword }.ToString();

    private string AdminConnectionString => new NpgsqlConnectionStringBuilder(ClusterConnectionString) { Database = database }.ToString();

    public static readonly JsonSerializerOptions Json = CreateJson();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseThisDatabase(builder);
    }

    /// <summary>What every host on this database is given: its connections, its secret key, the examples, the bootstrap admin.</summary>
    private void UseThisDatabase(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Amnify", ConnectionString);
        builder.UseSetting("Engine:StateConnectionString", StateConnectionString);
        builder.UseSetting("Secrets:Key", SecretKey);
        builder.UseSetting("Templates:Source", Path.Combine(RepositoryRoot, "backend", "examples"));
        builder.UseSetting("AMNIFY_BOOTSTRAP_ADMIN_TOKEN", AdminToken);
    }

    /// <summary>
    /// A second, independent host on this database (its own engine, started and disposed on its own, unlike
    /// <c>WithWebHostBuilder</c>'s children): the same settings as this factory, then the test's own.
    /// </summary>
    /// <summary>This database's app with a built SPA beside the API, as deployed; one per factory (each host runs an engine).</summary>
    public WebApplicationFactory<Program> SpaHost
    {
        get
        {
            lock (spaHostLock) return spaHost ??= WithSpa();
        }
    }

    private readonly Lock spaHostLock = new();

    private WebApplicationFactory<Program> WithSpa()
    {
        var spa = Directory.CreateTempSubdirectory("amnify-spa-").FullName;
        File.WriteAllText(Path.Combine(spa, "index.html"), "<!doctype html><title>Amnify Deploy</title>");
        Directory.CreateDirectory(Path.Combine(spa, "assets"));
        File.WriteAllText(Path.Combine(spa, "assets", "app.js"), "console.log('amnify');");
        return WithWebHostBuilder(b => b.UseSetting("Spa:Root", spa));
    }
    private WebApplicationFactory<Program>? spaHost;

    public WebApplicationFactory<Program> AnotherHost(Action<IWebHostBuilder>? configure = null) => new Host(this, configure);

    private sealed class Host(ApiFactory database, Action<IWebHostBuilder>? configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            database.UseThisDatabase(builder);
            configure?.Invoke(builder);
        }

        protected override void ConfigureClient(HttpClient client) =>
            client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
    }

    /// <summary>Every client acts as the bootstrap admin unless a test says otherwise.</summary>
    public const string AdminToken = "amn_test-bootstrap-admin-token";

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
    }

    /// <summary>A client with no credentials at all.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>A client signed in with a personal token of a new user of <paramref name="role"/>.</summary>
    public async Task<HttpClient> CreateClientAs(string role)
    {
        var admin = CreateClient();
        var email = $"{role}-{Guid.NewGuid():N}@example.test";
        (await admin.PostJson("/api/v1/users", new { email, displayName = role, role, password = "correct-horse-battery" })).EnsureSuccessStatusCode();
        var login = CreateAnonymousClient();
        var signIn = await login.PostJson("/api/v1/auth/login", new { email, password = "correct-horse-battery" });
        signIn.EnsureSuccessStatusCode();
        var cookie = signIn.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        login.DefaultRequestHeaders.Add("Cookie", cookie);
        login.DefaultRequestHeaders.Add("X-Amnify-Client", "test");
        var created = await (await login.PostJson("/api/v1/tokens", new { name = "test" })).Read<Amnify.Api.Features.Access.CreatedApiToken>();
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Token);
        return client;
    }

    public static readonly string RepositoryRoot = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Makefile")) && Directory.Exists(Path.Combine(dir.FullName, "backend")))
                return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (the folder with Makefile and backend/).");
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(CaFile))
            throw new InvalidOperationException($"No CA certificate at {CaFile}: start the cluster with backend/scripts/pg.sh start (it sets up TLS), or set AMNIFY_TEST_PG_CA.");
        await using var connection = new NpgsqlConnection(ClusterConnectionString);
        await connection.ExecuteAsync(EnsureRole(AppRole, AppPassword));
        await connection.ExecuteAsync(EnsureRole(StateRole, StatePassword));
        await connection.ExecuteAsync($"CREATE DATABASE {database} OWNER {AppRole}");
    }

    // Test processes run side by side (and each test collection starts here), so creating a role must not race.
    private static string EnsureRole(string role, string password) => $"""
        DO $$
        BEGIN
            CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}';
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$;
        """;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ClusterConnectionString);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    /// <summary>The test database as its superuser: tests inspect every row, Terraform's state schemas included.</summary>
    public async Task<NpgsqlConnection> OpenDatabase()
    {
        var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Every row of every table as text (bytea as hex too), to prove a value is stored nowhere in plain text.</summary>
    public async Task<bool> DatabaseContains(string plaintext)
    {
        await using var connection = await OpenDatabase();
        var tables = await connection.QueryAsync<string>(
            "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(plaintext));
        foreach (var table in tables)
        {
            var found = await connection.ExecuteScalarAsync<bool>(
                $"SELECT EXISTS (SELECT 1 FROM {table} t WHERE t::text LIKE '%' || @plaintext || '%' OR t::text LIKE '%' || @hex || '%')",
                new { plaintext, hex });
            if (found) return true;
        }
        return false;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        HttpPlumbing.ConfigureJson(options);
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        return options;
    }
}

/// <summary>An RFC 9457 answer as a client reads it.</summary>
public sealed record Problem(int Status, string Title, string? Detail, Dictionary<string, string[]>? Errors);

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, ApiFactory.Json);

    public static Task<HttpResponseMessage> PatchJson(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, ApiFactory.Json);

    public static Task<HttpResponseMessage> PostEmpty(this HttpClient client, string url) => client.PostAsync(url, null);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<T> Read<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(ApiFactory.Json))!;

    /// <summary>Reads a problem-details answer, checking it is one.</summary>
    public static async Task<Problem> ReadProblem(this HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        return await response.Read<Problem>();
    }

    public static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";
}
