using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Amnify.Harness.Infra;

/// <summary>What the bench saw of one pipeline run from the outside (<paramref name="SseEvents"/>: the stream's events before its end).</summary>
public sealed record DrivenRun(Guid PipelineRunId, string Status, double WallMs, double? FirstPlanReadyMs, int Approvals, int SseEvents);

/// <summary>
/// Triggers a pipeline run and gives every approval through the API the moment the run asks for it:
/// each event of GET /pipeline-runs/{id}/events (run, step, approvalRequired) is followed by GET /pipeline-runs/{id}, and a
/// step whose deployment run awaits plan approval is approved (then its apply, as soon as the plan
/// approval answers awaitingApplyApproval).
/// </summary>
public sealed class PipelineDriver(ApiClient api)
{
    private static readonly string[] Final = ["completed", "failed", "cancelled"];

    public async Task<DrivenRun> Run(Guid pipelineId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var run = await api.PostJson($"/api/v1/pipelines/{pipelineId}/runs", null, HttpStatusCode.Accepted);
        var runId = ApiClient.Id(run);
        double? firstPlan = null;
        var approvals = 0;
        var events = 0;
        var planApproved = new HashSet<Guid>();
        var applyApproved = new HashSet<Guid>();
        using var deadline = new CancellationTokenSource(timeout);

        // Looks at the run and approves what waits; answers its status.
        async Task<string> React()
        {
            var current = await api.GetJson($"/api/v1/pipeline-runs/{runId}");
            foreach (var step in current["steps"]!.AsArray())
            {
                if (step!["deploymentRunId"]?.GetValue<string>() is not { } idText) continue;
                var deploymentRunId = Guid.Parse(idText);
                var status = step["deploymentRunStatus"]?.GetValue<string>();
                if (status == "awaitingPlanApproval" && planApproved.Add(deploymentRunId))
                {
                    firstPlan ??= clock.Elapsed.TotalMilliseconds;
                    var approved = await api.PostJson($"/api/v1/deployment-runs/{deploymentRunId}/approve-plan", null, HttpStatusCode.OK, HttpStatusCode.Conflict);
                    approvals++;
                    status = approved["status"]?.GetValue<string>();
                }
                if (status == "awaitingApplyApproval" && applyApproved.Add(deploymentRunId))
                {
                    await api.PostJson($"/api/v1/deployment-runs/{deploymentRunId}/approve-apply", null, HttpStatusCode.OK, HttpStatusCode.Conflict);
                    approvals++;
                }
            }
            return current["status"]!.GetValue<string>();
        }

        var final = "";
        while (!Final.Contains(final))
        {
            deadline.Token.ThrowIfCancellationRequested();
            try
            {
                using var response = await api.OpenStream($"/api/v1/pipeline-runs/{runId}/events", deadline.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
                string? eventName = null;
                while (await reader.ReadLineAsync(deadline.Token) is { } line)
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal)) eventName = line[6..].Trim();
                    else if (line.Length == 0 && eventName is not null)
                    {
                        if (eventName != "end") events++;
                        final = await React();
                        if (Final.Contains(final) || eventName == "end") break;
                        eventName = null;
                    }
                }
                final = await React();
            }
            catch (HttpRequestException) when (!deadline.IsCancellationRequested)
            {
                // The stream dropped (or was refused): read the run, then open it again.
                final = await React();
                await Task.Delay(200, deadline.Token);
            }
        }
        return new DrivenRun(runId, final, clock.Elapsed.TotalMilliseconds, firstPlan, approvals, events);
    }
}
