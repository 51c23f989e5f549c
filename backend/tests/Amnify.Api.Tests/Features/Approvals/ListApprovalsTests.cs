using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Approvals;
using Amnify.Api.Http;
using Amnify.Api.Tests.Features.Access;

namespace Amnify.Api.Tests.Features.Approvals;

/// <summary>The approver's inbox: only the gates the caller may decide now, oldest first, a page at a time.</summary>
[Collection(nameof(ApprovalsCollection))]
public sealed class ListApprovalsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<List<PendingApproval>> Inbox(HttpClient client)
    {
        var all = new List<PendingApproval>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/approvals?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).Read<Page<PendingApproval>>();
            page.Items.Count.Should().BeLessThanOrEqualTo(2);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }

    [Fact]
    public async Task The_inbox_lists_only_the_gates_the_caller_may_decide_oldest_first()
    {
        var me = await api.Person("approver");
        var colleague = await api.Person("approver");
        var open = await admin.AtPlanGate((await admin.Deployment("aws", "network")).Id);
        var forAdmins = await admin.AtPlanGate((await admin.DeploymentWithPolicy(new { approverRole = "admin" })).Id);
        var mine = await me.Client.AtPlanGate((await admin.DeploymentWithPolicy(new { distinctFromTrigger = true })).Id);
        await colleague.Client.Approve(mine.Id, "approve-plan");
        var twoNeeded = await admin.AtPlanGate((await admin.DeploymentWithPolicy(new { planApprovals = 2 })).Id);
        await me.Client.Approve(twoNeeded.Id, "approve-plan");
        var later = await admin.AtPlanGate((await admin.Deployment("aws", "network")).Id);
        Guid[] ours = [open.Id, forAdmins.Id, mine.Id, twoNeeded.Id, later.Id];

        var inbox = (await Inbox(me.Client)).Where(i => ours.Contains(i.RunId)).ToList();

        inbox.Select(i => i.RunId).Should().Equal(open.Id, later.Id);
        inbox[0].Gate.Should().Be(ApprovalGate.Plan);
        inbox[0].PlanSha256.Should().Be(open.PlanSha256);
        inbox[0].Progress.Text.Should().Be("0 of 1 approvals");
        var theirs = (await Inbox(colleague.Client)).Where(i => ours.Contains(i.RunId)).ToList();
        theirs.Select(i => i.RunId).Should().Equal([open.Id, mine.Id, twoNeeded.Id, later.Id], "they may approve the apply of a run I triggered");
        theirs.Single(i => i.RunId == mine.Id).Gate.Should().Be(ApprovalGate.Apply);
        theirs.Single(i => i.RunId == twoNeeded.Id).Progress.Text.Should().Be("1 of 2 approvals");
        (await Inbox(admin)).Select(i => i.RunId).Should().Contain(forAdmins.Id);
        foreach (var id in ours) await admin.PostEmpty($"/api/v1/deployment-runs/{id}/cancel");
    }

    [Fact]
    public async Task A_step_in_the_inbox_names_its_pipeline_run_and_an_operator_sees_nothing()
    {
        var approver = await api.Person("approver");
        var operatorUser = await api.Person("operator");
        var deployment = await admin.Deployment("aws", "network");
        var pipelineRun = await admin.PipelineRunOf(admin, deployment.Id);
        var step = pipelineRun.Steps[0].DeploymentRunId!.Value;
        await admin.WaitFor(step, RunStatus.AwaitingPlanApproval);

        var item = (await Inbox(approver.Client)).Single(i => i.RunId == step);

        item.PipelineRunId.Should().Be(pipelineRun.Id);
        item.PipelineRunNumber.Should().Be(pipelineRun.Number);
        item.StepPosition.Should().Be(pipelineRun.Steps[0].Position);
        item.DeploymentName.Should().Be(deployment.Name);
        (await Inbox(operatorUser.Client)).Should().BeEmpty();
        (await approver.Client.GetAsync("/api/v1/approvals?cursor=nonsense")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await admin.PostEmpty($"/api/v1/pipeline-runs/{pipelineRun.Id}/cancel");
    }
}
