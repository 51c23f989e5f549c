using System.Security.Cryptography;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Terraform;
using Amnify.Api.Tests.Features.Templates;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(SensitiveValuesCollection))]
public sealed class SensitiveValuesCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// A template whose .tf marks nothing sensitive, so masking rests on template.json alone, with secrets
/// that hold quotes, backslashes, lines, object leaves, '+' and whole numbers, printed by template code
/// in lines longer than the log keeps. None of them may appear anywhere, in any form.
/// </summary>
[Collection(nameof(SensitiveValuesCollection))]
public sealed class SensitiveValuesTests(ApiFactory api) : IAsyncLifetime
{
    private const string TemplateId = "sensitive-probe";
    private readonly TemplateFolder folder = new();
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        folder.Add("aws", TemplateId, Manifest, Terraform);
        client = api.WithWebHostBuilder(b => b.UseSetting("Templates:Source", folder.Root)).CreateClient();
        await client.SyncExamples();
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sensitive_values_appear_in_no_plan_log_event_output_or_row_and_the_run_completes()
    {
        var secrets = Secrets.New();
        var deployment = await Deploy(secrets, fail: false);

        var run = await client.Trigger(deployment.Id);
        var planned = await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        var planText = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/plan");
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        var done = await client.WaitFor(run.Id, RunStatus.Completed);

        // Terraform itself masks them, from the override the engine writes.
        planText.Should().Contain("(sensitive value)");
        planned.Plan!.Resources.Should().Contain(r => r.Address == $"terraform_data.keyed[\"{Redactor.Mask}\"]");
        var outputs = done.Outputs!;
        foreach (var refused in new[] { "pin_out", "creds_out" })
        {
            outputs[refused].Sensitive.Should().BeTrue();
            outputs[refused].Value.GetString().Should().Be(Redactor.Mask);
        }
        // Outputs that lost the marks through a resource: masked leaf by leaf, the JSON intact.
        outputs["pin_echo"].Value.GetString().Should().Be(Redactor.Mask);
        outputs["plus_echo"].Value.GetString().Should().Be(Redactor.Mask);
        var echo = outputs["echo"].Value;
        foreach (var leaf in new[] { "quoted", "pem", "plus", "pin" }) echo.GetProperty(leaf).GetString().Should().Be(Redactor.Mask);
        echo.GetProperty("creds").GetProperty("user").GetString().Should().Be(Redactor.Mask);
        echo.GetProperty("creds").GetProperty("serial").GetString().Should().Be(Redactor.Mask);
        outputs["plain"].Value.GetString().Should().Be("visible");
        var log = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log");
        log.Should().Contain("(line cut)", "the template prints lines longer than the log keeps");
        log.Split('\n').Should().ContainSingle(l => l.EndsWith("hold sensitive values: marked sensitive, planning again.", StringComparison.Ordinal))
            .Which.Should().Contain("pin_out").And.Contain("creds_out"); // in the order Terraform reported them

        await ShouldAppearNowhere(secrets, run.Id, deployment.Id, planText, log);
    }

    [Fact]
    public async Task A_failing_apply_keeps_sensitive_values_out_of_its_error()
    {
        var secrets = Secrets.New();
        var deployment = await Deploy(secrets, fail: true);

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        var failed = await client.WaitFor(run.Id, RunStatus.Failed);

        failed.Error.Should().Contain("refused").And.Contain(Redactor.Mask);
        await ShouldAppearNowhere(secrets, run.Id, deployment.Id, failed.Error!);
    }

    private async Task<Deployment> Deploy(Secrets secrets, bool fail)
    {
        var project = await client.Project("aws");
        var environment = await client.Environment("aws");
        var response = await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = TemplateId, cloudEnvironmentId = environment.Id, name = HttpExtensions.Unique("probe"),
            variables = new Dictionary<string, object>
            {
                ["quoted"] = secrets.Quoted, ["pem"] = secrets.Pem, ["plus"] = secrets.Plus, ["pin"] = secrets.Pin, ["token"] = secrets.Token,
                ["creds"] = new { user = secrets.User, key = secrets.Key, serial = secrets.Serial }, ["fail"] = fail,
            },
        });
        response.EnsureSuccessStatusCode();
        return await response.Read<Deployment>();
    }

    private async Task ShouldAppearNowhere(Secrets secrets, Guid runId, Guid deploymentId, params string[] alsoSeen)
    {
        var seen = string.Join("\n", [
            .. alsoSeen,
            await client.GetStringAsync($"/api/v1/deployment-runs/{runId}"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{runId}/log"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{runId}/plan"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{runId}/events"),
            await client.GetStringAsync($"/api/v1/deployments/{deploymentId}"),
            await client.GetStringAsync($"/api/v1/deployments/{deploymentId}/runs"),
        ]);
        foreach (var trace in secrets.Traces)
        {
            seen.Should().NotContain(trace);
            (await api.DatabaseContains(trace)).Should().BeFalse($"'{trace}' must not be stored in clear");
        }
    }

    /// <summary>
    /// Fresh secrets for one test. Each carries random characters that no escaping changes, so finding
    /// those (<see cref="Traces"/>) finds the secret in any form: as given, escaped, cut or line by line.
    /// </summary>
    private sealed record Secrets(string Quoted, string Pem, string Plus, long Pin, string Token, string User, string Key, long Serial, string[] Traces)
    {
        public static Secrets New()
        {
            string Random() => Guid.NewGuid().ToString("N")[..12];
            long Number() => RandomNumberGenerator.GetInt32(700_000_000, 800_000_000);
            var (quoted, plus, user, key) = (Random(), Random(), Random(), Random());
            var pemLines = Enumerable.Range(0, 3).Select(_ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30))).ToArray();
            var (pin, serial) = (Number(), Number());
            var token = "tok" + Guid.NewGuid().ToString("N");
            return new Secrets(
                Quoted: $"q\"uo\\te${{x}}-{quoted}",
                Pem: $"-----BEGIN TEST KEY-----\n{string.Join('\n', pemLines)}\n-----END TEST KEY-----\n",
                Plus: $"p+l+u+s+{plus}",
                Pin: pin,
                Token: token,
                User: $"u-{user}",
                Key: $"k-{key}",
                Serial: serial,
                // The first eight characters of the token are what a line cut through it would leave.
                Traces: [quoted, plus, user, key, pin.ToString(), serial.ToString(), token[..8], .. pemLines]);
        }
    }

    private static readonly object Manifest = new
    {
        id = TemplateId, name = "Sensitive probe", description = "secrets in every shape", category = "infrastructure",
        cloud_provider = "aws", iac_type = "terraform",
        variables = new object[]
        {
            new { name = "quoted", type = "string", sensitive = true },
            new { name = "pem", type = "string", sensitive = true },
            new { name = "plus", type = "string", sensitive = true },
            new { name = "pin", type = "number", sensitive = true },
            new { name = "token", type = "string", sensitive = true },
            new
            {
                name = "creds", type = "object", sensitive = true,
                fields = new object[] { new { name = "user", type = "string" }, new { name = "key", type = "string" }, new { name = "serial", type = "number" } },
            },
            new { name = "fail", type = "bool" },
        },
    };

    // Nothing here says sensitive = true. Template code unmarks some values on purpose (nonsensitive(), or
    // passing them through a resource), as a careless or hostile template would.
    private const string Terraform = """
        variable "quoted" { type = string }
        variable "pem" { type = string }
        variable "plus" { type = string }
        variable "pin" { type = number }
        variable "token" { type = string }
        variable "creds" { type = object({ user = string, key = string, serial = number }) }
        variable "fail" {
          type    = bool
          default = false
        }

        resource "terraform_data" "src" {
          input = { quoted = var.quoted, pem = var.pem, plus = var.plus, pin = var.pin, creds = var.creds }
        }

        resource "terraform_data" "keyed" {
          for_each = toset([nonsensitive(var.token)])
        }

        # Lines of 4000 to 4093 characters before the token: one of them is cut through it.
        resource "terraform_data" "long_lines" {
          provisioner "local-exec" {
            command = join("\n", [for n in range(4000, 4096, 3) : "head -c ${n} /dev/zero | tr '\\0' x; echo '${nonsensitive(var.token)}'"])
          }
        }

        resource "terraform_data" "failure" {
          count = var.fail ? 1 : 0
          provisioner "local-exec" {
            command = "printf 'refused: %s %s\\n' '${jsonencode(nonsensitive(var.creds))}' '${jsonencode(nonsensitive(var.quoted))}' >&2; exit 1"
          }
        }

        output "pin_out" { value = var.pin }
        output "creds_out" { value = var.creds }
        output "echo" { value = terraform_data.src.output }
        output "pin_echo" { value = terraform_data.src.output.pin }
        output "plus_echo" { value = terraform_data.src.output.plus }
        output "plain" { value = "visible" }
        """;
}
