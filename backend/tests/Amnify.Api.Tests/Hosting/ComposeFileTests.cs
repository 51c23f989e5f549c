using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amnify.Api.Engine;
using Amnify.Api.Features.Templates;
using Amnify.Api.Http;
using Dapper;
using Npgsql;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Amnify.Api.Tests.Hosting;

/// <summary>
/// `make compose-check`: there is no Docker engine here, so docker-compose.yml is proven by starting the
/// processes it describes natively — its commands, its environment (with the image's ENV from
/// backend/Dockerfile beneath), its database roles made by the same init script — one api and two workers,
/// and checking they serve and work. Only what cannot be the same on one machine is mapped: service host
/// names and ports to the local cluster and free ports, container paths to the repository, and database and
/// role names to fresh ones so the check cannot touch anything else on the cluster.
/// </summary>
[Trait("Category", "Processes")]
public sealed partial class ComposeFileTests : IAsyncLifetime
{
    private static readonly string Repo = ApiFactory.RepositoryRoot;
    private readonly string suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly string logs = Directory.CreateTempSubdirectory("amnify-compose-").FullName;
    private readonly List<ProductProcess> processes = [];

    /// <summary>What a team puts in its environment before `docker compose up`.</summary>
    private readonly Dictionary<string, string> shell = new()
    {
        ["SECRETS_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["ADMIN_PASSWORD"] = "compose-admin-password",
        ["POSTGRES_PASSWORD"] = "unused-natively",
        ["AMNIFY_DB_PASSWORD"] = "compose-app-password",
        ["AMNIFY_STATE_DB_PASSWORD"] = "compose-state-password",
    };

    private string Database => $"amnify_compose_{suffix}";
    private string AppRole => $"amnify_compose_{suffix}";
    private string StateRole => $"amnify_compose_{suffix}_tfstate";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var p in processes) await p.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ApiFactory.ClusterConnectionString);
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        await admin.ExecuteAsync($"DROP ROLE IF EXISTS {AppRole}");
        await admin.ExecuteAsync($"DROP ROLE IF EXISTS {StateRole}");
    }

    [Fact]
    public async Task The_compose_file_starts_an_api_and_two_workers_that_serve_and_run_a_deployment()
    {
        var services = Services();
        services.Keys.Should().Contain(["db", "api", "worker"]);
        services["worker"].Ports.Should().BeEmpty("workers scale with --scale worker=N, so none may bind a fixed host port");
        services.Values.Where(s => s.Name != "proxy").Should().OnlyContain(s => s.HasHealthcheck, "every service has a health check");

        await InitDatabase(services["db"]);
        var api = Start("api", services["api"]);
        await api.WaitUntilReady();
        var workers = new[] { Start("worker1", services["worker"]), Start("worker2", services["worker"]) };
        foreach (var w in workers) await w.WaitUntilReady();

        foreach (var worker in workers)
        {
            var probe = worker.Client();
            (await probe.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await probe.GetAsync("/api/v1/providers")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a worker serves no API");
        }

        var client = await SignIn(api, services["api"]);
        var templates = await (await client.GetAsync("/api/v1/templates?provider=aws")).Read<Page<Template>>();
        templates.Items.Select(t => t.Id).Should().Contain("aws-network", "the image syncs its example templates at start");
        var deployment = await client.Deployment();
        var run = await client.RunThrough(deployment.Id);
        run.Status.Should().Be(RunStatus.Completed);
    }

    private sealed record Service(string Name, string[] Command, Dictionary<string, string> Environment, string[] Ports, bool HasHealthcheck);

    /// <summary>docker-compose.yml with anchors merged and ${VAR}, ${VAR:-default}, ${VAR:?message} filled from <see cref="shell"/>.</summary>
    private Dictionary<string, Service> Services()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Repo, "docker-compose.yml")));
        var document = (Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize(new MergingParser(new Parser(reader)))!;
        var services = (Dictionary<object, object>)document["services"];
        return services.ToDictionary(s => (string)s.Key, s =>
        {
            var body = (Dictionary<object, object>)s.Value;
            var command = body.TryGetValue("command", out var c) ? ((List<object>)c).Select(a => Fill((string)a)).ToArray() : [];
            var environment = body.TryGetValue("environment", out var e)
                ? ((Dictionary<object, object>)e).ToDictionary(kv => (string)kv.Key, kv => Fill(kv.Value?.ToString() ?? ""))
                : [];
            var ports = body.TryGetValue("ports", out var p) ? ((List<object>)p).Select(x => Fill((string)x)).ToArray() : [];
            return new Service((string)s.Key, command, environment, ports, body.ContainsKey("healthcheck"));
        });
    }

    private string Fill(string text) => Variable().Replace(text, m =>
    {
        var name = m.Groups["name"].Value;
        var has = shell.TryGetValue(name, out var value) && value.Length > 0;
        return m.Groups["op"].Value switch
        {
            ":-" => has ? value! : m.Groups["arg"].Value,
            ":?" => has ? value! : throw new Xunit.Sdk.XunitException($"docker-compose.yml needs {name}: {m.Groups["arg"].Value}"),
            _ => value ?? "",
        };
    });

    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)(?:(?<op>:-|:\?)(?<arg>[^}]*))?\}")]
    private static partial Regex Variable();

    /// <summary>The db service's init script, run against the local cluster as the image would run it.</summary>
    private async Task InitDatabase(Service db)
    {
        var cluster = new NpgsqlConnectionStringBuilder(ApiFactory.ClusterConnectionString);
        var start = new ProcessStartInfo("sh", [Path.Combine(Repo, "backend", "docker", "initdb.sh")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var (k, v) in db.Environment) start.Environment[k] = v;
        start.Environment["PGHOST"] = cluster.Host;
        start.Environment["PGPORT"] = cluster.Port.ToString();
        start.Environment["POSTGRES_USER"] = cluster.Username;
        start.Environment["AMNIFY_DB_USER"] = AppRole;
        start.Environment["AMNIFY_STATE_DB_USER"] = StateRole;
        start.Environment["AMNIFY_DB"] = Database;
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, error);
    }

    private ProductProcess Start(string name, Service service)
    {
        var environment = ImageEnvironment();
        foreach (var (k, v) in service.Environment) environment[k] = MapConnectionString(v);
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var args = service.Command.Select(a => Regex.Replace(a, @"^http://0\.0\.0\.0:\d+$", "http://127.0.0.1:{port}"));
        var process = ProductProcess.Start(name, args, environment, logs);
        processes.Add(process);
        return process;
    }

    /// <summary>The ENV of the image's last stage, with container paths mapped to where the Dockerfile copies them from.</summary>
    private static Dictionary<string, string> ImageEnvironment()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Repo, "backend", "Dockerfile")).Replace("\\\n", " ");
        var lastStage = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var environment = new Dictionary<string, string>();
        foreach (Match line in Regex.Matches(lastStage, @"^ENV\s+(.+)$", RegexOptions.Multiline))
            foreach (Match pair in Regex.Matches(line.Groups[1].Value, @"(\w+)=(\S+)"))
                environment[pair.Groups[1].Value] = pair.Groups[2].Value;
        var copied = new Dictionary<string, string>
        {
            ["/app/examples"] = Path.Combine(Repo, "backend", "examples"),
            ["/app/wwwroot-spa"] = Path.Combine(Repo, "frontend", "dist"),
        };
        foreach (var (container, _) in copied)
            lastStage.Should().MatchRegex($@"COPY .* \./{Regex.Escape(container["/app/".Length..])}\b", $"the image copies {container}");
        foreach (var key in environment.Keys.ToList())
            if (copied.TryGetValue(environment[key], out var local)) environment[key] = local;
        environment.Remove("ASPNETCORE_URLS"); // the command's --urls says where to listen
        return environment;
    }

    /// <summary>Host db:5432 becomes the local cluster; the database and role names become this check's own.</summary>
    private string MapConnectionString(string value)
    {
        if (!value.Contains("Host=db", StringComparison.Ordinal)) return value;
        var cluster = new NpgsqlConnectionStringBuilder(ApiFactory.ClusterConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(value) { Host = cluster.Host, Port = cluster.Port, Database = Database };
        builder.Username = builder.Username == "amnify" ? AppRole : builder.Username == "amnify_tfstate" ? StateRole
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml connects as an unknown role {builder.Username}");
        return builder.ToString();
    }

    private static async Task<HttpClient> SignIn(ProductProcess api, Service service)
    {
        var client = api.Client();
        var login = await client.PostJson("/api/v1/auth/login", new
        {
            email = service.Environment["AMNIFY_ADMIN_EMAIL"], password = service.Environment["AMNIFY_ADMIN_PASSWORD"],
        });
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Add("Cookie", login.Headers.GetValues("Set-Cookie").First().Split(';')[0]);
        client.DefaultRequestHeaders.Add("X-Amnify-Client", "compose-check");
        return client;
    }
}
