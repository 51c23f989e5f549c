using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Http;
using Amnify.Api.Tests.Features.Templates;
using Dapper;
using Npgsql;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(SandboxCollection))]
public sealed class SandboxCollection : ICollectionFixture<ApiFactory>;

/// <summary>Template code as an attacker writes it, on the real engine: it reaches none of the server's secrets.</summary>
[Collection(nameof(SandboxCollection))]
public sealed class SandboxTests(ApiFactory api) : IDisposable
{
    private readonly HttpClient client = api.CreateClient();
    private readonly TemplateFolder folder = new();
    private readonly DirectoryInfo dataDir = Directory.CreateTempSubdirectory("amnify-data-");

    public void Dispose()
    {
        folder.Dispose();
        dataDir.Delete(recursive: true);
    }

    /// <summary>At plan time file()/templatefile() on the key, other runs and /proc; at apply local-exec with env, cat and psql.</summary>
    private const string HostileTf = """
        variable "key_path" { type = string }
        variable "server_pid" { type = string }
        variable "other_run_file" { type = string }

        locals {
          probes = {
            key          = try(file(var.key_path), "unreadable")
            key_template = try(templatefile(var.key_path, {}), "unreadable")
            other_run    = try(file(var.other_run_file), "unreadable")
            server       = try(file("/proc/${var.server_pid}/environ"), "unreadable")
          }
          # Not in the resource: they name the run directory, which differs between plan and apply.
          # NULs become newlines: PostgreSQL's jsonb cannot hold \u0000 (stored outputs are jsonb).
          environs = {
            self  = try(replace(file("/proc/self/environ"), "\u0000", "\n"), "unreadable")
            pid_1 = try(replace(file("/proc/1/environ"), "\u0000", "\n"), "unreadable")
          }
        }

        resource "terraform_data" "probe" {
          input = local.probes

          provisioner "local-exec" {
            command = <<-EOT
              echo "== env"; env
              echo "== key"; cat '${var.key_path}'
              echo "== other run"; cat '${var.other_run_file}'
              echo "== parent"; cat /proc/$PPID/environ | tr '\0' '\n'
              echo "== server"; cat /proc/${var.server_pid}/environ | tr '\0' '\n'
              echo "== processes: $(ls /proc | grep -c '^[0-9]')"
              echo "== users"; psql "$PG_CONN_STR" -Atc 'SELECT email FROM users' 2>&1
              echo "== credentials"; psql "$PG_CONN_STR" -Atc 'SELECT credentials_encrypted FROM cloud_environments' 2>&1
              pw=$(printf '%s' "$PG_CONN_STR" | sed -n "s/.*password='\([^']*\)'.*/\1/p")
              if [ -n "$pw" ] && ! grep -rqF "$pw" .; then echo "== run directory holds no state password"; fi
              echo "== done"
            EOT
          }
        }

        output "probes" { value = merge(local.probes, local.environs) }
        """;

    private async Task<Deployment> HostileDeployment(string keyPath, string otherRunFile)
    {
        var id = $"hostile-{Guid.NewGuid():N}"[..20];
        folder.Add("aws", id, new
        {
            id, name = "Hostile", description = "reads what it should not", category = "infrastructure", cloud_provider = "aws", iac_type = "terraform",
            variables = new[]
            {
                new { name = "key_path", type = "string", required = true },
                new { name = "server_pid", type = "string", required = true },
                new { name = "other_run_file", type = "string", required = true },
            },
        }, HostileTf);
        await using (var source = api.WithWebHostBuilder(b => b.UseSetting("Templates:Source", folder.Root)))
            await source.CreateClient().SyncExamples();
        var project = await client.Project("aws");
        var environment = await client.Environment("aws");
        var response = await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = id, cloudEnvironmentId = environment.Id, name = HttpExtensions.Unique("hostile"),
            variables = new { key_path = keyPath, server_pid = Environment.ProcessId.ToString(), other_run_file = otherRunFile },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<Deployment>();
    }

    private static string StatePassword => ApiFactory.StatePassword;

    [Fact]
    public async Task A_hostile_template_reads_none_of_the_servers_secrets_at_plan_or_apply()
    {
        // The test host reads Secrets:Key from configuration; a variable of the process stands for the server's environment.
        var canary = $"canary-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable("AMNIFY_SANDBOX_CANARY", canary);
        var keyPath = Path.Combine(dataDir.FullName, "secret.key");
        await File.WriteAllTextAsync(keyPath, api.SecretKey);
        var otherRun = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "amnify-runs", $"other-run-{Guid.NewGuid():N}"));
        var otherRunFile = Path.Combine(otherRun.FullName, "terraform.tfvars.json");
        await File.WriteAllTextAsync(otherRunFile, """{"admin_password":"other-runs-secret"}""");
        try
        {
            var deployment = await HostileDeployment(keyPath, otherRunFile);

            var run = await client.RunThrough(deployment.Id);

            var plan = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/plan");
            var log = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log");
            var runJson = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}");
            log.Should().Contain("== done", "the local-exec ran to its end");
            log.Should().Contain("== run directory holds no state password", ".terraform/ and the plan file keep no connection string");
            var probes = run.Outputs!["probes"].Value;
            foreach (var name in new[] { "key", "key_template", "other_run", "server" })
                probes.GetProperty(name).GetString().Should().Be("unreadable", $"{name} is outside the sandbox");
            probes.GetProperty("self").GetString().Should().Contain("TF_IN_AUTOMATION=1", "Terraform's own environment is the engine's");
            log.Should().Contain($"/proc/{Environment.ProcessId}/environ: No such file");
            log.Should().MatchRegex(@"== processes: [1-9]\b");
            log.Should().Contain("permission denied for table users").And.Contain("permission denied for table cloud_environments");

            string?[] secrets = [api.SecretKey, ApiFactory.AdminToken, canary, "other-runs-secret", StatePassword,
                new NpgsqlConnectionStringBuilder(api.ConnectionString).Password, "token-value"];
            foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
            {
                plan.Should().NotContain(secret);
                log.Should().NotContain(secret);
                runJson.Should().NotContain(secret);
                (await api.DatabaseContains(secret!)).Should().BeFalse($"no table holds {secret} in clear");
            }
        }
        finally
        {
            otherRun.Delete(recursive: true);
            Environment.SetEnvironmentVariable("AMNIFY_SANDBOX_CANARY", null);
        }
    }

    private async Task<NpgsqlConnection> OpenAsStateRole()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(api.ConnectionString)
        {
            Username = ApiFactory.StateRole, Password = StatePassword, Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task The_state_role_uses_its_schemas_but_cannot_read_app_tables_or_create_anything()
    {
        await client.SyncExamples();
        var deployment = await client.Deployment("aws", "network");
        await client.RunThrough(deployment.Id);
        await using var state = await OpenAsStateRole();

        (await state.ExecuteScalarAsync<long>($"SELECT count(*) FROM {StateRole.SchemaName(deployment.Id)}.states")).Should().Be(1);
        foreach (var sql in new[]
        {
            "SELECT count(*) FROM users", "SELECT count(*) FROM cloud_environments", "SELECT count(*) FROM deployment_runs",
            "CREATE SCHEMA tfstate_intruder", "CREATE TABLE public.intruder (x int)",
        })
            (await FluentActions.Awaiting(() => state.ExecuteAsync(sql)).Should().ThrowAsync<PostgresException>())
                .Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege, sql);
    }

    [Fact]
    public async Task A_state_schema_made_before_the_state_role_existed_is_handed_over_on_its_next_run()
    {
        await client.SyncExamples();
        var deployment = await client.Deployment("aws", "network");
        await client.RunThrough(deployment.Id);
        var schema = StateRole.SchemaName(deployment.Id);
        await using (var app = await api.OpenDatabase())
            await app.ExecuteAsync($"""
                REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM "{ApiFactory.StateRole}";
                REVOKE ALL ON SCHEMA {schema} FROM "{ApiFactory.StateRole}";
                """);

        var destroyed = await client.RunThrough(deployment.Id, "destroy");

        destroyed.Plan!.Destroy.Should().Be(3, "the state written before the hand-over is still read");
    }

    [Fact]
    public async Task Readyz_says_when_template_code_runs_without_a_sandbox()
    {
        (await (await client.GetAsync("/readyz")).Read<Health>()).Warnings.Should().BeEmpty();

        await using var unsandboxed = api.WithWebHostBuilder(b => b.UseSetting("Engine:Sandbox", "none"));
        var ready = await (await unsandboxed.CreateClient().GetAsync("/readyz")).Read<Health>();

        ready.Status.Should().Be("ready");
        ready.Warnings.Should().ContainSingle().Which.Should().Contain("SANDBOX DISABLED");
    }
}
