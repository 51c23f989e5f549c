using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Templates;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(DeploymentRunsCollection))]
public sealed class DeploymentRunsCollection : ICollectionFixture<ApiFactory>;

/// <summary>Runs on the real Terraform CLI, with state in the test's PostgreSQL database.</summary>
[Collection(nameof(DeploymentRunsCollection))]
public sealed class DeploymentRunsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Execute_with_both_approvals_completes_with_outputs_and_the_deployment_is_deployed()
    {
        var deployment = await client.Deployment("aws", "network");

        var run = await client.Trigger(deployment.Id);
        run.Status.Should().BeOneOf(RunStatus.Queued, RunStatus.Pending, RunStatus.Initializing);
        var planned = await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        planned.Plan!.Add.Should().Be(3);
        planned.Plan.Resources.Should().Contain(r => r.Address == "terraform_data.network" && r.Action == "create");
        planned.Actions.Should().Be(new RunActions(ApprovePlan: true, ApproveApply: false, Cancel: true));
        (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/plan")).Should().Contain("terraform_data.network");
        (await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>()).Status.Should().Be(DeploymentStatus.AwaitingApproval);

        (await client.Approve(run.Id, "approve-plan")).Status.Should().Be(RunStatus.AwaitingApplyApproval);
        await client.Approve(run.Id, "approve-apply");
        var done = await client.WaitFor(run.Id, RunStatus.Completed);

        done.Outputs!["network_id"].Value.GetString().Should().StartWith("aws-net-");
        done.PlanApprovedBy.Should().NotBeNull();
        done.ApplyApprovedAt.Should().NotBeNull();
        done.Actions.Should().Be(new RunActions(false, false, false));
        (await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>()).Status.Should().Be(DeploymentStatus.Deployed);
    }

    [Fact]
    public async Task Executing_again_unchanged_ends_as_no_changes_without_asking_for_approval()
    {
        var deployment = await client.Deployment("gcp", "application");
        await client.RunThrough(deployment.Id);

        var again = await client.Trigger(deployment.Id);
        var done = await client.WaitFor(again.Id, RunStatus.NoChanges);

        done.PlanApprovedBy.Should().BeNull();
        done.Plan!.Resources.Should().BeEmpty();
    }

    [Fact]
    public async Task Destroy_goes_through_both_approvals_and_the_deployment_can_then_be_deleted()
    {
        var deployment = await client.Deployment("azure", "network");
        await client.RunThrough(deployment.Id);
        (await client.DeleteAsync($"/api/v1/deployments/{deployment.Id}")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var destroyed = await client.RunThrough(deployment.Id, "destroy");

        destroyed.Plan!.Destroy.Should().Be(3);
        (await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>()).Status.Should().Be(DeploymentStatus.Destroyed);
        (await client.DeleteAsync($"/api/v1/deployments/{deployment.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_failing_plan_ends_failed_with_terraforms_message_and_the_whole_log_kept()
    {
        var deployment = await client.Deployment("aws", "network", new()
        {
            ["name"] = "dup", ["subnets"] = new[] { new { name = "a", cidr = "10.0.1.0/24" }, new { name = "a", cidr = "10.0.2.0/24" } },
        });

        var run = await client.Trigger(deployment.Id);
        var failed = await WaitForFinal(run.Id);

        failed.Status.Should().Be(RunStatus.Failed);
        failed.Error.Should().StartWith("Error:").And.Contain("Duplicate object key");
        (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log")).Should().Contain("terraform plan").And.Contain("Duplicate object key");
        (await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>()).Status.Should().Be(DeploymentStatus.Failed);
    }

    [Fact]
    public async Task A_failing_apply_ends_failed_with_the_message()
    {
        var deployment = await client.Deployment("aws", "database", new() { ["name"] = "db", ["admin_password"] = "pw-123", ["fail_apply"] = true });

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        var failed = await WaitForFinal(run.Id);

        failed.Status.Should().Be(RunStatus.Failed);
        failed.Error.Should().Contain("simulated failure");
        failed.ApplyStartedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task Approvals_out_of_turn_answer_409_naming_the_current_state()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        var early = await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply");
        early.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await early.ReadProblem()).Detail.Should().Contain("awaitingPlanApproval");

        await client.Approve(run.Id, "approve-plan");
        var twice = await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-plan");
        (await twice.ReadProblem()).Detail.Should().Contain("awaitingApplyApproval");
        (await client.PostEmpty($"/api/v1/deployment-runs/{Guid.CreateVersion7()}/approve-plan")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancel_works_in_each_approval_state_and_while_waiting_for_the_lock_leaving_the_cloud_untouched()
    {
        var deployment = await client.Deployment("gcp", "network");

        var first = await client.Trigger(deployment.Id);
        var second = await client.Trigger(deployment.Id);
        await client.WaitFor(first.Id, RunStatus.AwaitingPlanApproval);
        await client.WaitFor(second.Id, RunStatus.Pending);

        var cancelledWhileWaiting = await (await client.PostJson($"/api/v1/deployment-runs/{second.Id}/cancel", new { reason = "not needed" })).Read<DeploymentRun>();
        cancelledWhileWaiting.Status.Should().Be(RunStatus.Cancelled);
        cancelledWhileWaiting.CancelReason.Should().Be("not needed");

        (await client.PostEmpty($"/api/v1/deployment-runs/{first.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);
        var third = await client.Trigger(deployment.Id);
        await client.WaitFor(third.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(third.Id, "approve-plan");
        (await (await client.PostEmpty($"/api/v1/deployment-runs/{third.Id}/cancel")).Read<DeploymentRun>()).Status.Should().Be(RunStatus.Cancelled);

        var again = await client.PostEmpty($"/api/v1/deployment-runs/{third.Id}/cancel");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>()).Status.Should().Be(DeploymentStatus.NeverDeployed);
    }

    [Fact]
    public async Task First_runs_of_many_new_deployments_at_once_all_plan_none_fails_on_the_state_lock()
    {
        var deployments = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.Deployment("gcp", "network")));

        var runs = await Task.WhenAll(deployments.Select(d => client.Trigger(d.Id)));

        foreach (var run in runs) await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        foreach (var run in runs) await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Runs_of_one_deployment_wait_their_turn_in_order()
    {
        var deployment = await client.Deployment("azure", "application");
        var first = await client.Trigger(deployment.Id);
        var second = await client.Trigger(deployment.Id);
        var third = await client.Trigger(deployment.Id);
        await client.WaitFor(first.Id, RunStatus.AwaitingPlanApproval);
        (await client.Run(second.Id)).Status.Should().Be(RunStatus.Pending);

        await client.Approve(first.Id, "approve-plan");
        await client.Approve(first.Id, "approve-apply");
        await client.WaitFor(first.Id, RunStatus.Completed);

        await client.WaitFor(second.Id, RunStatus.NoChanges);
        await client.WaitFor(third.Id, RunStatus.NoChanges);
        (await client.Run(second.Id)).FinishedAt.Should().BeBefore((await client.Run(third.Id)).FinishedAt!.Value);
    }

    [Fact]
    public async Task A_deployment_that_needs_configuration_cannot_run_and_the_refusal_names_the_variables()
    {
        var deployment = await client.Deployment("aws", "network");
        await using (var db = await api.OpenDatabase())
            await db.ExecuteAsync("UPDATE deployments SET missing_variables = '{owner}' WHERE id = @id", new { id = deployment.Id });

        var response = await client.PostJson($"/api/v1/deployments/{deployment.Id}/runs", new { operation = "execute" });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.ReadProblem()).Detail.Should().Contain("owner");
    }

    [Fact]
    public async Task Secrets_appear_in_no_log_event_plan_or_answer()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        var environment = await client.Environment("aws");
        var project = await client.Project("aws");
        var credential = $"cred-{Guid.NewGuid():N}";
        await client.PatchJson($"/api/v1/cloud-environments/{environment.Id}", new { credentials = new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = credential } });
        var deployment = await (await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = "aws-database", cloudEnvironmentId = environment.Id, name = "secretive",
            variables = new Dictionary<string, object> { ["name"] = "db", ["admin_password"] = password },
        })).Read<Deployment>();

        var run = await client.RunThrough(deployment.Id);

        var seen = string.Join("\n",
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/plan"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/events"),
            await client.GetStringAsync($"/api/v1/deployments/{deployment.Id}/runs"));
        seen.Should().NotContain(password).And.NotContain(credential);
        run.Outputs!["connection_string"].Sensitive.Should().BeTrue();
        (await api.DatabaseContains(password)).Should().BeFalse();
        (await api.DatabaseContains(credential)).Should().BeFalse();
    }

    [Fact]
    public async Task The_event_stream_replays_from_last_event_id_and_ends_with_the_run()
    {
        var deployment = await client.Deployment("gcp", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");

        var all = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/events");
        all.Should().Contain("event: status").And.Contain("\"status\":\"planning\"").And.Contain("event: log").And.EndWith("event: end\ndata: {\"status\":\"cancelled\"}\n\n");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deployment-runs/{run.Id}/events");
        request.Headers.Add("Last-Event-ID", "3");
        var resumed = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        resumed.Should().NotContain("id: 3\n").And.Contain("id: 4\n");

        var log = await client.GetAsync($"/api/v1/deployment-runs/{run.Id}/log?offset=3");
        var offset = int.Parse(log.Headers.GetValues("X-Log-Offset").Single());
        offset.Should().BeGreaterThan(3);
        (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log?offset={offset}")).Should().BeEmpty();
    }

    [Fact]
    public async Task Run_history_is_newest_first_and_paginates()
    {
        var deployment = await client.Deployment("aws", "application");
        var runs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var run = await client.Trigger(deployment.Id);
            runs.Add(run.Id);
            await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        }

        var first = await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}/runs?limit=2")).Read<Amnify.Api.Http.Page<DeploymentRun>>();
        var second = await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}/runs?limit=2&cursor={first.NextCursor}")).Read<Amnify.Api.Http.Page<DeploymentRun>>();

        first.Items.Concat(second.Items).Select(r => r.Id).Should().Equal(Enumerable.Reverse(runs));
        second.NextCursor.Should().BeNull();
    }

    private async Task<DeploymentRun> WaitForFinal(Guid runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await client.Run(runId);
            if (run.Status.IsTerminal()) return run;
            await Task.Delay(150);
        }
        throw new TimeoutException($"Run {runId} did not finish.");
    }
}
