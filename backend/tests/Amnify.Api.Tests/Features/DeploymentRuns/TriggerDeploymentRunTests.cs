using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Dapper;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class TriggerDeploymentRunTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
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
}
