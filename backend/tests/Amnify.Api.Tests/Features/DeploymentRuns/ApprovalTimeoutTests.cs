using Amnify.Api.Engine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

/// <summary>A gate left waiting past the policy's timeout: the worker's sweep ends the run expired, and its pipeline with it.</summary>
[Collection(nameof(ApprovalsCollection))]
public sealed class ApprovalTimeoutTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Makes the run's gate look opened <paramref name="hours"/> ago.</summary>
    private async Task Age(Guid runId, int hours)
    {
        await using var db = await api.OpenDatabase();
        await db.ExecuteAsync("UPDATE deployment_runs SET planned_at = now() - make_interval(hours => @Hours) WHERE id = @Id", new { Id = runId, Hours = hours });
    }

    [Fact]
    public async Task A_gate_waiting_longer_than_the_timeout_ends_the_pipeline_expired_and_later_steps_are_not_run()
    {
        var first = await admin.DeploymentWithPolicy(new { approvalTimeoutHours = 2 });
        var second = await admin.Deployment("aws", "network");
        var pipelineRun = await admin.PipelineRunOf(admin, first.Id, second.Id);
        var step = pipelineRun.Steps[0].DeploymentRunId!.Value;
        await admin.WaitFor(step, RunStatus.AwaitingPlanApproval);

        await Age(step, 3);

        var expired = await admin.WaitFor(step, RunStatus.Expired, seconds: 60);
        expired.Error.Should().Contain("longer than the 2 hours");
        var stopped = await admin.WaitForPipeline(pipelineRun.Id, PipelineRunStatus.Expired);
        stopped.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Expired, PipelineStepStatus.NotRun);
        stopped.Steps[0].Error.Should().Be(expired.Error);
    }

    [Fact]
    public async Task A_gate_within_its_timeout_or_without_one_keeps_waiting()
    {
        var timed = await admin.DeploymentWithPolicy(new { approvalTimeoutHours = 5 });
        var untimed = await admin.Deployment("aws", "network");
        var young = await admin.AtPlanGate(timed.Id);
        var old = await admin.AtPlanGate(untimed.Id);
        await Age(young.Id, 4);
        await Age(old.Id, 10_000);

        await api.Services.GetRequiredService<RunWorker>().ExpireWaitingGates();

        (await admin.Run(young.Id)).Status.Should().Be(RunStatus.AwaitingPlanApproval);
        (await admin.Run(old.Id)).Status.Should().Be(RunStatus.AwaitingPlanApproval);
        await admin.PostEmpty($"/api/v1/deployment-runs/{young.Id}/cancel");
        await admin.PostEmpty($"/api/v1/deployment-runs/{old.Id}/cancel");
    }
}
