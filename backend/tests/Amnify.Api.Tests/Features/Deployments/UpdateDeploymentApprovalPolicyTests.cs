using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Access;

namespace Amnify.Api.Tests.Features.Deployments;

/// <summary>A deployment's own policy: set by admins only, and it can only tighten its environment's.</summary>
[Collection(nameof(ApprovalsCollection))]
public sealed class UpdateDeploymentApprovalPolicyTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Only_an_admin_may_change_a_deployments_policy()
    {
        var operatorUser = await api.Person("operator");
        var deployment = await admin.Deployment("aws", "network");

        var refused = await operatorUser.Client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { approvalPolicy = new { planApprovals = 2 } });
        var resent = await operatorUser.Client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { approvalPolicy = new { }, description = "same policy" });

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.ReadProblem()).Detail.Should().Contain("approvalPolicy");
        resent.StatusCode.Should().Be(HttpStatusCode.OK, "sending the policy unchanged is not changing it");
        var changed = await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { approvalPolicy = new { planApprovals = 2 } });
        (await changed.Read<Deployment>()).ApprovalPolicy.Should().Be(new ApprovalPolicyOverride { PlanApprovals = 2 });
    }

    [Fact]
    public async Task A_run_takes_the_stricter_of_its_environment_and_deployment_policies()
    {
        var deployment = await admin.DeploymentWithPolicy(new { planApprovals = 3, applyApprovals = 1, approvalTimeoutHours = 2 });
        (await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new
        {
            approvalPolicy = new { planApprovals = 2, applyApprovals = 2, approverRole = "admin", approvalTimeoutHours = 5, distinctFromTrigger = true },
        })).EnsureSuccessStatusCode();

        var run = await admin.Trigger(deployment.Id);

        run.Policy.Should().Be(new ApprovalPolicy
        {
            PlanApprovals = 3, ApplyApprovals = 2, ApproverRole = ApproverRole.Admin, ApprovalTimeoutHours = 2, DistinctFromTrigger = true,
        });
        run.RequireDistinctApprover.Should().BeFalse("four-eyes is both distinctness rules");
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }
}
