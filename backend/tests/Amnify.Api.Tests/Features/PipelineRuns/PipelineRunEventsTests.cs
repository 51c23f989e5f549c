using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Tests.Features.DeploymentRuns;

namespace Amnify.Api.Tests.Features.PipelineRuns;

[CollectionDefinition(nameof(PipelineRunEventsCollection))]
public sealed class PipelineRunEventsCollection : ICollectionFixture<ApiFactory>;

/// <summary>The pipeline-run stream: typed run, step, approvalRequired and end events with ids, resumable by Last-Event-ID.</summary>
[Collection(nameof(PipelineRunEventsCollection))]
public sealed class PipelineRunEventsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<PipelineRun> Triggered()
    {
        var pipeline = await (await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Events") })).Read<Pipeline>();
        var deployment = await client.Deployment("aws", "network");
        (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).EnsureSuccessStatusCode();
        return await (await client.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();
    }

    private async Task<Guid> StepRunAwaiting(Guid pipelineRunId, RunStatus status)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await (await client.GetAsync($"/api/v1/pipeline-runs/{pipelineRunId}")).Read<PipelineRun>();
            if (run.Steps[0].DeploymentRunStatus == status) return run.Steps[0].DeploymentRunId!.Value;
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"The step's run is {run.Steps[0].DeploymentRunStatus}, expected {status}.");
            await Task.Delay(150);
        }
    }

    /// <summary>A one-step pipeline run cancelled at its plan approval: its stream is over and replays whole.</summary>
    private async Task<(Guid PipelineRunId, Guid DeploymentRunId)> CancelledAtPlanApproval()
    {
        var run = await Triggered();
        var step = await StepRunAwaiting(run.Id, RunStatus.AwaitingPlanApproval);
        (await client.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel")).EnsureSuccessStatusCode();
        return (run.Id, step);
    }

    private string Url(Guid id) => $"/api/v1/pipeline-runs/{id}/events";

    [Fact]
    public async Task Run_events_follow_the_runs_status_and_current_step()
    {
        var (id, _) = await CancelledAtPlanApproval();

        var runs = (await client.ReadAll(Url(id))).Where(e => e.Type == "run").ToList();

        runs.Select(e => e.Data.Text("status")).Should().ContainInOrder("queued", "running", "awaitingApproval", "cancelled");
        runs.Single(e => e.Data.Text("status") == "awaitingApproval").Data.GetProperty("currentStepPosition").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Step_events_carry_the_position_status_deployment_run_and_plan()
    {
        var (id, deploymentRun) = await CancelledAtPlanApproval();

        var steps = (await client.ReadAll(Url(id))).Where(e => e.Type == "step").ToList();

        steps.Should().OnlyContain(e => e.Data.GetProperty("position").GetInt32() == 1);
        steps.Select(e => e.Data.Text("deploymentRunStatus")).Should().ContainInOrder("initializing", "planning", "awaitingPlanApproval", "cancelled");
        var waiting = steps.First(e => e.Data.Text("deploymentRunStatus") == "awaitingPlanApproval");
        waiting.Data.Text("status").Should().Be("running");
        waiting.Data.Text("deploymentRunId").Should().Be(deploymentRun.ToString());
        waiting.Data.GetProperty("plan").GetProperty("add").GetInt32().Should().BeGreaterThan(0);
        steps.Last().Data.Text("status").Should().Be("cancelled");
    }

    [Fact]
    public async Task ApprovalRequired_names_the_step_gate_and_who_may_approve()
    {
        var (id, deploymentRun) = await CancelledAtPlanApproval();

        var approval = (await client.ReadAll(Url(id))).Single(e => e.Type == "approvalRequired");

        approval.Data.GetProperty("position").GetInt32().Should().Be(1);
        approval.Data.Text("gate").Should().Be("plan");
        approval.Data.Text("deploymentRunId").Should().Be(deploymentRun.ToString());
        approval.Data.GetProperty("approvers").Text("role").Should().Be("approver");
    }

    [Fact]
    public async Task The_stream_ends_with_end_naming_the_final_status()
    {
        var (id, _) = await CancelledAtPlanApproval();

        var events = await client.ReadAll(Url(id));

        events.Last().Type.Should().Be("end");
        events.Last().Data.Text("status").Should().Be("cancelled");
        events.SkipLast(1).Select(e => int.Parse(e.Id!)).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Resuming_with_Last_Event_ID_sends_only_what_came_after()
    {
        var (id, _) = await CancelledAtPlanApproval();
        var all = await client.ReadAll(Url(id));
        var approval = all.Single(e => e.Type == "approvalRequired");

        var resumed = await client.ReadAll(Url(id), approval.Id);

        resumed.Select(e => e.Id).Should().Equal(all.SkipWhile(e => e != approval).Skip(1).Select(e => e.Id));
    }

    [Fact]
    public async Task A_live_stream_sees_the_apply_gate_asked_for_as_it_happens()
    {
        var run = await Triggered();
        var step = await StepRunAwaiting(run.Id, RunStatus.AwaitingPlanApproval);
        await using var stream = await Sse.Open(client, Url(run.Id));
        await stream.EndsWithin(TimeSpan.FromSeconds(1));
        var before = SseText.Parse(stream.Text).Count;

        await client.Approve(step, "approve-plan");
        await WaitUntil(() => SseText.Parse(stream.Text).Any(e => e.Type == "approvalRequired" && e.Data.Text("gate") == "apply"), stream);

        SseText.Parse(stream.Text).Skip(before).Select(e => e.Type).Should().Contain("step").And.Contain("approvalRequired");
        await client.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task The_stream_tells_proxies_not_to_buffer_it()
    {
        var (id, _) = await CancelledAtPlanApproval();

        using var response = await client.GetAsync(Url(id));

        response.Headers.GetValues("X-Accel-Buffering").Should().Equal("no");
    }

    private static async Task WaitUntil(Func<bool> condition, Sse stream)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"Not seen in time. The stream so far:\n{stream.Text}");
            await stream.EndsWithin(TimeSpan.FromMilliseconds(300));
        }
    }
}
