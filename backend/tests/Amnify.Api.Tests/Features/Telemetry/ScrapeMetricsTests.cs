using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Templates;
using Amnify.Api.Tests.Hosting;

namespace Amnify.Api.Tests.Features.Telemetry;

/// <summary>
/// <c>/metrics</c> as Prometheus scrapes it, from a real <c>--role api</c> process and a real <c>--role worker</c> process
/// after a deployment ran through them: each process reports what it did, and only that.
/// </summary>
public sealed class ScrapeMetricsTests : IAsyncLifetime
{
    private const string ScrapeToken = "scrape-token-for-the-metrics-test";
    private const string Secret = "sensitive-value-for-the-metrics-test";

    private readonly ApiFactory database = new();
    private readonly TemplateFolder templates = new();
    private readonly string logs = Directory.CreateTempSubdirectory("amnify-metrics-").FullName;
    private readonly List<ProductProcess> processes = [];

    public Task InitializeAsync() => database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var p in processes) await p.DisposeAsync();
        templates.Dispose();
        await database.DisposeAsync();
    }

    private ProductProcess Start(string role, Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Amnify"] = database.ConnectionString,
            ["Engine__StateConnectionString"] = database.StateConnectionString,
            ["Secrets__Key"] = database.SecretKey,
            ["Metrics__ScrapeToken"] = ScrapeToken,
        };
        foreach (var (k, v) in extra) environment[k] = v;
        var process = ProductProcess.Start(role, ["--role", role, "--urls", "http://127.0.0.1:{port}"], environment, logs);
        processes.Add(process);
        return process;
    }

    private static async Task<PrometheusText> Scrape(ProductProcess process)
    {
        var response = await process.Client(ScrapeToken).GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK, process.Log());
        response.Content.Headers.ContentType?.MediaType.Should().Be("text/plain");
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The worker's applies in flight, as soon as there is one (its apply sleeps 5 s).</summary>
    private static async Task<double> InFlightApplies(ProductProcess worker)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var applies = (await Scrape(worker)).Sum("amnify_worker_runs_in_flight", ("phase", "apply"));
            if (applies > 0 || DateTime.UtcNow > until) return applies;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task After_a_run_the_api_and_the_worker_each_serve_the_series_of_what_they_did()
    {
        // An apply that takes seconds, so the worker renews its lease while it works; a sensitive value that must not leak.
        templates.Add("aws", "slow", new
        {
            id = "aws-slow", name = "Slow", description = "sleeps while applying", category = "infrastructure", cloud_provider = "aws",
            iac_type = "terraform",
            variables = new object[] { new { name = "password", type = "string", required = true, sensitive = true } },
        }, """
           variable "password" {}
           resource "terraform_data" "slow" {
             input = length(var.password)
             provisioner "local-exec" {
               command = "sleep 5"
             }
           }
           """);
        var api = Start("api", new()
        {
            ["Templates__Source"] = templates.Root,
            ["AMNIFY_BOOTSTRAP_ADMIN_TOKEN"] = ApiFactory.AdminToken,
        });
        await api.WaitUntilReady();
        // A lease of 6 s is renewed every 2 s: at least twice in the 5 s apply, and a busy machine must stall the
        // worker for 4 s before the lease lapses and a second claim muddles the counts.
        var worker = Start("worker", new() { ["Engine__LeaseSeconds"] = "6", ["Engine__PollSeconds"] = "1" });
        await worker.WaitUntilReady();
        var client = api.Client(ApiFactory.AdminToken);
        await client.SyncExamples();
        var created = await client.PostJson("/api/v1/deployments", new
        {
            projectId = (await client.Project()).Id, templateId = "aws-slow", cloudEnvironmentId = (await client.Environment()).Id,
            name = HttpExtensions.Unique("slow"), variables = new { password = Secret },
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var deployment = await created.Read<Deployment>();

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        var inFlight = await InFlightApplies(worker);
        run = await client.WaitFor(run.Id, RunStatus.Completed);

        inFlight.Should().Be(1, "the worker was applying the run while it slept");
        var fromApi = await Scrape(api);
        var fromWorker = await Scrape(worker);

        // HTTP request durations, by route template (never a raw path with its ids).
        fromApi.Of("http_server_request_duration_seconds_count", ("http_request_method", "POST"), ("http_response_status_code", "202"))
            .Where(s => s.Labels.GetValueOrDefault("http_route")?.TrimEnd('/') == "/api/v1/deployments/{id:guid}/runs")
            .Sum(s => s.Value).Should().Be(1, fromApi.Names());
        fromApi.Of("http_server_request_duration_seconds_count").Should().NotContain(s => s.Labels.Values.Any(v => v.Contains(deployment.Id.ToString())));
        fromWorker.Sum("http_server_request_duration_seconds_count", ("http_route", "/readyz")).Should().BeGreaterThanOrEqualTo(1);
        // ASP.NET Core's per-request authentication, authorization and memory-pool series are off: they cost every request and
        // repeat what the request durations tell.
        fromApi.Samples.Select(s => s.Name).Should().NotContain(n => n.StartsWith("aspnetcore_authentication_")
            || n.StartsWith("aspnetcore_authorization_") || n.StartsWith("aspnetcore_memory_pool_"));

        // Runs by operation and status: each process counts the transitions it made.
        fromApi.Sum("amnify_runs_total", ("operation", "execute"), ("status", "queued")).Should().Be(1);
        fromApi.Sum("amnify_runs_total", ("operation", "execute"), ("status", "awaitingApplyApproval")).Should().Be(1);
        fromApi.Sum("amnify_runs_total", ("operation", "execute"), ("status", "applying")).Should().Be(1);
        foreach (var status in new[] { "initializing", "planning", "awaitingPlanApproval", "completed" })
            fromWorker.Sum("amnify_runs_total", ("operation", "execute"), ("status", status)).Should().Be(1, status);

        // Queue wait (queued → claimed) on the worker that claimed; approval waits where the approvals were given.
        var waited = (DateTimeOffset.UtcNow - run.QueuedAt).TotalSeconds;
        fromWorker.Sum("amnify_run_queue_wait_seconds_count", ("operation", "execute")).Should().Be(1);
        fromWorker.Sum("amnify_run_queue_wait_seconds_sum").Should().BeInRange(0, waited);
        foreach (var gate in new[] { "plan", "apply" })
        {
            fromApi.Sum("amnify_run_approval_wait_seconds_count", ("gate", gate), ("operation", "execute")).Should().Be(1, gate);
            fromApi.Sum("amnify_run_approval_wait_seconds_sum", ("gate", gate)).Should().BeInRange(0, waited, gate);
        }

        // Phase durations and Terraform exit codes: one init (the worker that planned applies in the plan's own
        // directory), plan with changes (2), apply.
        fromWorker.Sum("amnify_run_phase_duration_seconds_count", ("phase", "init")).Should().Be(1);
        fromWorker.Sum("amnify_run_phase_duration_seconds_count", ("phase", "plan")).Should().Be(1);
        fromWorker.Sum("amnify_run_phase_duration_seconds_count", ("phase", "apply")).Should().Be(1);
        foreach (var phase in new[] { "init", "plan", "apply" })
            fromWorker.Sum("amnify_run_phase_duration_seconds_sum", ("phase", phase)).Should().BeInRange(0.01, waited, phase);
        fromWorker.Sum("amnify_run_phase_duration_seconds_sum", ("phase", "apply")).Should().BeGreaterThanOrEqualTo(5, "the apply slept 5 s");
        fromWorker.Sum("amnify_terraform_exits_total", ("command", "init"), ("code", "0")).Should().Be(1);
        fromWorker.Sum("amnify_terraform_exits_total", ("command", "plan"), ("code", "2")).Should().Be(1);
        fromWorker.Sum("amnify_terraform_exits_total", ("command", "apply"), ("code", "0")).Should().Be(1);

        // Runs in flight (none now), lease renewals and losses (none), webhook deliveries (none yet): there from the start.
        fromWorker.Sum("amnify_worker_runs_in_flight", ("phase", "plan")).Should().Be(0);
        fromWorker.Sum("amnify_worker_runs_in_flight", ("phase", "apply")).Should().Be(0);
        fromWorker.Sum("amnify_lease_renewals_total", ("outcome", "renewed")).Should().BeGreaterThanOrEqualTo(2, "the apply slept 5 s");
        fromWorker.Sum("amnify_lease_renewals_total", ("outcome", "failed")).Should().Be(0);
        fromWorker.Sum("amnify_lease_losses_total").Should().Be(0);
        fromWorker.Sum("amnify_webhook_deliveries_total", ("outcome", "delivered")).Should().Be(0);

        // The api process runs no engine, so it has no engine series.
        fromApi.Of("amnify_worker_runs_in_flight").Should().BeEmpty();
        fromApi.Of("amnify_terraform_exits_total").Should().BeEmpty();

        // Nothing about a particular run, deployment or person, and no secret.
        foreach (var scrape in new[] { fromApi, fromWorker })
            scrape.Text.Should().NotContain(run.Id.ToString()).And.NotContain(deployment.Id.ToString())
                .And.NotContain(ApiFactory.AdminToken).And.NotContain(ApiFactory.AppPassword).And.NotContain(ScrapeToken)
                .And.NotContain("token-value").And.NotContain(Secret);
    }

    [Fact]
    public async Task A_worker_serves_metrics_only_to_its_scrape_token()
    {
        var worker = Start("worker", new());
        await worker.WaitUntilReady();

        (await worker.Client().GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await worker.Client("not-the-token").GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await worker.Client(ApiFactory.AdminToken).GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "a person's token is not the scrape token");
        (await worker.Client(ScrapeToken).GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
