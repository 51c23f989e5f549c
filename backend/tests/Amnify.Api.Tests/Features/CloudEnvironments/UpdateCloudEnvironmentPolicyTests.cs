using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.CloudEnvironments;
using Amnify.Api.Http;
using Amnify.Api.Tests.Features.Access;

namespace Amnify.Api.Tests.Features.CloudEnvironments;

[Collection(nameof(ApprovalsCollection))]
public sealed class UpdateCloudEnvironmentPolicyTests(ApiFactory api)
{
    private readonly HttpClient admin = api.CreateClient();

    [Fact]
    public async Task An_admin_sets_the_policy_the_environment_then_shows_and_the_audit_says_old_and_new()
    {
        var environment = await admin.Environment();
        environment.ApprovalPolicy.Should().Be(new ApprovalPolicy());

        await admin.SetEnvironmentPolicy(environment.Id, new { planApprovals = 2, applyApprovals = 3, approverRole = "admin", approvalTimeoutHours = 24 });

        var now = await (await admin.GetAsync($"/api/v1/cloud-environments/{environment.Id}")).Read<CloudEnvironment>();
        now.ApprovalPolicy.Should().Be(new ApprovalPolicy { PlanApprovals = 2, ApplyApprovals = 3, ApproverRole = ApproverRole.Admin, ApprovalTimeoutHours = 24 });
        var audit = (await (await admin.GetAsync($"/api/v1/audit-events?resourceType=cloudEnvironment&resourceId={environment.Id}&action=cloudEnvironment.update"))
            .Read<Page<AuditEvent>>()).Items;
        audit.Should().ContainSingle().Which.Details.Should().Contain("approvalPolicy: {\"planApprovals\":1").And.Contain("→ {\"planApprovals\":2");
    }

    [Fact]
    public async Task Counts_outside_1_to_5_and_a_zero_timeout_answer_400_naming_the_fields()
    {
        var environment = await admin.Environment();

        var response = await admin.PatchJson($"/api/v1/cloud-environments/{environment.Id}",
            new { approvalPolicy = new { planApprovals = 0, applyApprovals = 6, approvalTimeoutHours = 0 } });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors!.Keys.Should().BeEquivalentTo(
            ["approvalPolicy.planApprovals", "approvalPolicy.applyApprovals", "approvalPolicy.approvalTimeoutHours"]);
    }

    [Fact]
    public async Task An_approver_may_not_change_an_environments_policy()
    {
        var approver = await api.Person("approver");
        var environment = await admin.Environment();

        (await approver.Client.PatchJson($"/api/v1/cloud-environments/{environment.Id}", new { approvalPolicy = new { planApprovals = 1 } }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
