using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Pipelines;

[Collection(nameof(PipelinesCollection))]
public sealed class CancelPipelineRunTests(ApiFactory factory) : PipelinesTestBase(factory)
{
    [Fact]
    public async Task Cancelling_a_step_directly_cancels_the_pipeline_run()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        await Add(pipeline.Id, network.Id);
        var run = await RunPipeline(pipeline.Id);
        var stepRun = run.Steps[0].DeploymentRunId!.Value;
        await client.WaitFor(stepRun, RunStatus.AwaitingPlanApproval);
        (await PipelineRunOf(run.Id)).Status.Should().Be(PipelineRunStatus.AwaitingApproval);

        await client.PostEmpty($"/api/v1/deployment-runs/{stepRun}/cancel");

        (await PipelineRunOf(run.Id)).Status.Should().Be(PipelineRunStatus.Cancelled);
    }

    [Fact]
    public async Task Cancelling_with_a_reason_keeps_it_on_the_current_step_and_in_the_audit_log()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        await Add(pipeline.Id, network.Id);
        var run = await RunPipeline(pipeline.Id);
        await client.WaitFor(run.Steps[0].DeploymentRunId!.Value, RunStatus.AwaitingPlanApproval);

        var response = await client.PostJson($"/api/v1/pipeline-runs/{run.Id}/cancel", new { reason = "release freeze" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var cancelled = await PipelineRunOf(run.Id);
        cancelled.Status.Should().Be(PipelineRunStatus.Cancelled);
        cancelled.Steps[0].CancelReason.Should().Be("release freeze");
        (await (await client.GetAsync($"/api/v1/audit-events?resourceType=pipelineRun&resourceId={run.Id}&action=pipelineRun.cancel"))
            .Read<Page<Amnify.Api.Features.Access.AuditEvent>>()).Items.Should().ContainSingle().Which.Details.Should().Be("reason: release freeze");
    }

    [Fact]
    public async Task A_cancel_reason_longer_than_500_characters_answers_400_naming_it()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        await Add(pipeline.Id, network.Id);
        var run = await RunPipeline(pipeline.Id);

        var response = await client.PostJson($"/api/v1/pipeline-runs/{run.Id}/cancel", new { reason = new string('x', 501) });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"reason\"");
        (await client.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
