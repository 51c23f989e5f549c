using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Telemetry;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace Amnify.Api.Tests.Features.Telemetry;

/// <summary>
/// Traces with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set: a CI job's <c>traceparent</c> on the trigger is continued by the
/// worker, whose plan and apply (and each Terraform process in them) are spans of the same trace, and the spans reach
/// the OTLP endpoint. The endpoint is a receiver in this test; the spans are also kept in memory to read their tree.
/// </summary>
public sealed class RunTracesTests(ApiFactory database) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly LockedList spans = new();
    private readonly OtlpReceiver receiver = new();
    private WebApplicationFactory<Program> host = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        host = database.WithWebHostBuilder(b =>
        {
            b.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Url);
            b.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            b.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100");
            b.ConfigureTestServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        });
        client = host.CreateClient();
        await client.SyncExamples();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        receiver.Dispose();
    }

    /// <summary>Triggers a run as a traced CI job would: with its own trace context in <c>traceparent</c>.</summary>
    private async Task<DeploymentRun> TriggerTraced(ActivityTraceId traceId, ActivitySpanId callerSpan)
    {
        var deployment = await client.Deployment("aws", "network");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/deployments/{deployment.Id}/runs")
        {
            Content = JsonContent.Create(new { operation = "execute" }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.Read<DeploymentRun>();
    }

    private static async Task<T> Eventually<T>(Func<T?> probe, string what) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
    }

    [Fact]
    public async Task The_workers_plan_and_apply_spans_join_the_trace_of_the_request_that_triggered_the_run()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();

        var run = await TriggerTraced(traceId, callerSpan);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        await client.WaitFor(run.Id, RunStatus.Completed);

        var trace = await Eventually(() =>
        {
            var inTrace = spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
            return inTrace.Any(s => s.DisplayName == "terraform apply") && inTrace.Any(s => s.DisplayName == "run apply") ? inTrace : null;
        }, "the apply's spans");
        var trigger = trace.Should().ContainSingle(s => s.Kind == ActivityKind.Server && s.ParentSpanId == callerSpan,
            "the trigger's request continues the caller's trace").Subject;
        foreach (var phase in new[] { "plan", "apply" })
        {
            var work = trace.Should().ContainSingle(s => s.DisplayName == $"run {phase}").Subject;
            work.Source.Name.Should().Be(RunTracing.SourceName);
            work.ParentSpanId.Should().Be(trigger.SpanId, $"the worker's {phase} is a child of the trigger");
            work.GetTagItem("amnify.run.id").Should().Be(run.Id.ToString());
            var terraform = trace.Where(s => s.ParentSpanId == work.SpanId).Select(s => s.DisplayName).ToList();
            // The worker that planned applies in the plan's own directory: no second init.
            terraform.Should().BeEquivalentTo(phase == "plan" ? ["terraform init", "terraform plan", "terraform show"] : ["terraform apply"]);
        }
        trace.Single(s => s.DisplayName == "terraform plan").GetTagItem("process.exit.code").Should().Be("2", "a plan with changes exits 2");
    }

    [Fact]
    public async Task The_spans_of_a_run_reach_the_OTLP_endpoint()
    {
        var traceId = ActivityTraceId.CreateRandom();

        var run = await TriggerTraced(traceId, ActivitySpanId.CreateRandom());
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        // OTLP/protobuf carries a span's trace id as its 16 raw bytes and its name as UTF-8.
        var traceBytes = Convert.FromHexString(traceId.ToHexString());
        var export = await Eventually(() => receiver.Requests().FirstOrDefault(r =>
            r.Body.AsSpan().IndexOf(traceBytes) >= 0 && r.Body.AsSpan().IndexOf("terraform plan"u8) >= 0), "an OTLP export of the plan's spans");
        export.Path.Should().Be("/v1/traces");
        export.ContentType.Should().Be("application/x-protobuf");
    }

    /// <summary>The in-memory exporter adds from the exporting thread while the test reads.</summary>
    private sealed class LockedList : ICollection<Activity>
    {
        private readonly List<Activity> items = [];
        public List<Activity> Snapshot() { lock (items) return [.. items]; }
        public void Add(Activity item) { lock (items) items.Add(item); }
        public void Clear() { lock (items) items.Clear(); }
        public bool Contains(Activity item) { lock (items) return items.Contains(item); }
        public void CopyTo(Activity[] array, int arrayIndex) { lock (items) items.CopyTo(array, arrayIndex); }
        public bool Remove(Activity item) { lock (items) return items.Remove(item); }
        public int Count { get { lock (items) return items.Count; } }
        public bool IsReadOnly => false;
        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>An OTLP/HTTP collector on loopback that accepts every export and keeps it.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        public sealed record Export(string Path, string? ContentType, byte[] Body);

        private readonly HttpListener listener = new();
        private readonly List<Export> received = [];
        private readonly Task loop;

        public string Url { get; }

        public OtlpReceiver()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
            }
            listener.Prefixes.Add(Url + "/");
            listener.Start();
            loop = Task.Run(Accept);
        }

        public List<Export> Requests() { lock (received) return [.. received]; }

        private async Task Accept()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (received) received.Add(new Export(context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                // An empty ExportTraceServiceResponse: everything accepted.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
            loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
