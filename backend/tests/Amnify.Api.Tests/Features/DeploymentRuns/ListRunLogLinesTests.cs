using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class ListRunLogLinesTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
    private async Task<RunLogLines> Lines(Guid runId, int offset = 0) =>
        await (await client.GetAsync($"/api/v1/deployment-runs/{runId}/log/lines?offset={offset}")).Read<RunLogLines>();

    [Fact]
    public async Task Each_line_says_whether_the_engine_or_terraform_wrote_it()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        var page = await Lines(run.Id);

        page.Lines.Should().Contain(l => l.Text.StartsWith($"Run {run.Id} (execute), attempt on worker") && l.Source == LogSource.Engine);
        page.Lines.Should().Contain(l => l.Text.StartsWith("$ terraform plan") && l.Source == LogSource.Engine);
        page.Lines.Should().Contain(l => l.Text.Contains("Terraform will perform the following actions") && l.Source == LogSource.Terraform);
        page.Lines.Select(l => l.Text).Should().Equal((await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log")).TrimEnd('\n').Split('\n'));
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Reading_from_an_offset_answers_only_later_lines_and_where_to_continue()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        var all = await Lines(run.Id);
        var middle = all.Lines[all.Lines.Count / 2].Seq;

        var rest = await Lines(run.Id, middle);

        rest.Lines.Should().OnlyContain(l => l.Seq > middle).And.NotBeEmpty();
        rest.Offset.Should().Be(all.Offset);
        (await Lines(run.Id, all.Offset)).Should().Match<RunLogLines>(p => p.Lines.Count == 0 && p.Offset == all.Offset);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task An_unknown_run_answers_404_and_a_negative_offset_400()
    {
        (await client.GetAsync($"/api/v1/deployment-runs/{Guid.NewGuid()}/log/lines")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);

        var response = await client.GetAsync($"/api/v1/deployment-runs/{run.Id}/log/lines?offset=-1");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("offset");
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }
}
