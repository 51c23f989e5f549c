using Amnify.Api.Engine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

/// <summary>
/// A worker that dies stops renewing its lease. These tests leave a run exactly as a dead worker
/// would (its lease run out, its worker gone) and check what the sweep of any live worker does.
/// </summary>
[Collection(nameof(DeploymentRunsCollection))]
public sealed class InterruptedRunsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task AbandonedBy(Guid runId, string status, bool applyBegun)
    {
        await using var db = await api.OpenDatabase();
        await db.ExecuteAsync("""
            UPDATE deployment_runs SET status = @status, worker_id = 'dead-worker', lease_expires_at = now() - interval '1 minute',
                   apply_started_at = CASE WHEN @applyBegun THEN now() END
            WHERE id = @runId
            """, new { runId, status, applyBegun });
    }

    private Task Sweep() => api.Services.GetRequiredService<RunWorker>().SweepExpiredLeases();

    [Fact]
    public async Task A_run_whose_worker_died_while_planning_is_planned_again_by_another_worker()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await AbandonedBy(run.Id, "planning", applyBegun: false);

        await Sweep();

        var replanned = await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        replanned.Attempt.Should().Be(2);
        (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log")).Should().Contain("attempt on worker");
    }

    [Fact]
    public async Task A_run_whose_worker_died_while_applying_fails_as_interrupted_and_is_never_applied_again()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await using (var db = await api.OpenDatabase())
        {
            // Approve the apply and mark it begun in one step, as a worker that took it and then died would leave it.
            await db.ExecuteAsync("""
                UPDATE deployment_runs SET status = 'applying', approved_plan_sha256 = plan_sha256, apply_approved_by = 'test',
                       worker_id = 'dead-worker', lease_expires_at = now() - interval '1 minute', apply_started_at = now()
                WHERE id = @id
                """, new { id = run.Id });
        }

        await Sweep();

        var failed = await client.Run(run.Id);
        failed.Status.Should().Be(RunStatus.Failed);
        failed.Error.Should().StartWith("interrupted");
        // The deployment lock is released: a new run can plan.
        var next = await client.Trigger(deployment.Id);
        await client.WaitFor(next.Id, RunStatus.AwaitingPlanApproval);
    }

    [Fact]
    public async Task A_worker_whose_run_was_taken_over_cannot_move_it_any_more()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await using var db = await api.OpenDatabase();
        await db.ExecuteAsync("UPDATE deployment_runs SET status = 'planning', worker_id = 'new-owner' WHERE id = @id", new { id = run.Id });

        await using var transaction = await db.BeginTransactionAsync();
        var moved = await api.Services.GetRequiredService<RunTransitions>()
            .Fail(db, transaction, new RunTransitions.Failed(run.Id, "late", OwnedBy: "old-owner"));
        await transaction.CommitAsync();

        moved.Should().BeNull();
        (await client.Run(run.Id)).Status.Should().Be(RunStatus.Planning);
        await db.ExecuteAsync("UPDATE deployment_runs SET worker_id = NULL, status = 'awaitingPlanApproval' WHERE id = @id", new { id = run.Id });
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_run_that_keeps_losing_its_worker_gives_up_after_the_attempt_limit()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await AbandonedBy(run.Id, "initializing", applyBegun: false);
        await using (var db = await api.OpenDatabase())
            await db.ExecuteAsync("UPDATE deployment_runs SET attempt = 3 WHERE id = @id", new { id = run.Id });

        await Sweep();

        (await client.Run(run.Id)).Error.Should().Contain("giving up");
    }
}
