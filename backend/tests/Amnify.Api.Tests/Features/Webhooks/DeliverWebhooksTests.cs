using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Features.Webhooks;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.Webhooks;

[CollectionDefinition(nameof(DeliverWebhooksCollection))]
public sealed class DeliverWebhooksCollection : ICollectionFixture<ApiFactory>;

/// <summary>The workers deliver every run event to the endpoints that want it: signed, retried, logged, and once per id.</summary>
[Collection(nameof(DeliverWebhooksCollection))]
public sealed class DeliverWebhooksTests(ApiFactory api) : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> host = api.Host();
    private HttpClient admin = null!;
    private WebhookReceiver receiver = null!;
    private readonly List<Guid> registered = [];

    public async Task InitializeAsync()
    {
        admin = host.Admin();
        await admin.SyncExamples();
        receiver = await WebhookReceiver.Start();
    }

    public async Task DisposeAsync()
    {
        foreach (var id in registered) await admin.DeleteAsync($"/api/v1/webhooks/{id}");
        await receiver.DisposeAsync();
        await host.DisposeAsync();
    }

    private async Task<Webhook> Register(params string[] types)
    {
        var webhook = await admin.Register(receiver, types);
        registered.Add(webhook.Id);
        return webhook;
    }

    /// <summary>A run stopped at its plan approval: a handful of state changes and one approval asked for.</summary>
    private async Task<Guid> RunToPlanApprovalAndCancel()
    {
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        return run.Id;
    }

    private static IEnumerable<string?> StatusesOf(IEnumerable<Received> requests, Guid runId) =>
        requests.Where(r => r.Type == WebhookEventTypes.DeploymentRunStatus && r.Data.Text("deploymentRunId") == runId.ToString())
            .Select(r => r.Data.Text("status"));

    [Fact]
    public async Task Every_state_change_of_a_deployment_run_arrives_signed_once_per_id()
    {
        var webhook = await Register();
        var deployment = await admin.Deployment("aws", "network");

        var run = await admin.RunThrough(deployment.Id);
        var deliveries = await admin.Settled(webhook.Id, atLeast: 8);

        receiver.Requests.Should().OnlyContain(r => r.Verified, "every request carries a valid Standard Webhooks signature");
        receiver.Requests.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(deliveries.Select(d => d.EventId.ToString()));
        StatusesOf(receiver.InEventOrder, run.Id).Should().Equal("queued", "initializing", "planning", "awaitingPlanApproval", "awaitingApplyApproval", "applying", "completed");
        receiver.InEventOrder.Where(r => r.Type == WebhookEventTypes.ApprovalRequired).Select(r => r.Data.Text("gate")).Should().Equal("plan", "apply");
        deliveries.Should().OnlyContain(d => d.Status == "delivered" && d.Attempts == 1 && d.Log.Single().StatusCode == 200);
    }

    [Fact]
    public async Task A_pipeline_run_sends_its_own_and_its_steps_changes()
    {
        var webhook = await Register(WebhookEventTypes.PipelineRunStatus, WebhookEventTypes.PipelineRunStep, WebhookEventTypes.ApprovalRequired);
        var pipeline = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Hooks") })).Read<Pipeline>();
        var deployment = await admin.Deployment("aws", "network");
        (await admin.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).EnsureSuccessStatusCode();
        var run = await (await admin.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();
        await receiver.Until(r => r.Any(e => e.Type == WebhookEventTypes.ApprovalRequired && e.Data.Text("pipelineRunId") == run.Id.ToString()));
        (await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel")).EnsureSuccessStatusCode();
        await admin.Settled(webhook.Id, atLeast: 8);

        var mine = receiver.InEventOrder.Where(r => r.Data.Text("pipelineRunId") == run.Id.ToString()).ToList();
        mine.Where(r => r.Type == WebhookEventTypes.PipelineRunStatus).Select(r => r.Data.Text("status"))
            .Should().ContainInOrder("queued", "running", "awaitingApproval", "cancelled");
        mine.Where(r => r.Type == WebhookEventTypes.PipelineRunStep).Select(r => r.Data.Text("status")).Should().Contain("running").And.EndWith("cancelled");
        mine.Single(r => r.Type == WebhookEventTypes.ApprovalRequired).Data.GetProperty("position").GetInt32().Should().Be(1);
        mine.Should().NotContain(r => r.Type == WebhookEventTypes.DeploymentRunStatus, "the endpoint did not ask for those");
    }

    [Fact]
    public async Task A_500_is_tried_again_and_the_log_shows_each_attempt()
    {
        receiver.Answer = (_, before) => before == 0 ? 500 : 200;
        var webhook = await Register(WebhookEventTypes.ApprovalRequired);

        await RunToPlanApprovalAndCancel();
        var delivery = (await admin.Settled(webhook.Id)).Single();

        receiver.Requests.Select(r => r.Answered).Should().Equal(500, 200);
        receiver.Requests.Select(r => r.Id).Distinct().Should().ContainSingle("a retry carries the same webhook-id");
        delivery.Status.Should().Be("delivered");
        delivery.Log.Select(a => (a.Attempt, a.StatusCode)).Should().Equal((1, 500), (2, 200));
        delivery.Log.Should().OnlyContain(a => a.DurationMs >= 0);
    }

    [Fact]
    public async Task Retry_After_is_honoured()
    {
        receiver.Answer = (_, before) => before == 0 ? 503 : 200;
        receiver.Headers = response => response.Headers.RetryAfter = "4";
        var webhook = await Register(WebhookEventTypes.ApprovalRequired);

        await RunToPlanApprovalAndCancel();
        await admin.Settled(webhook.Id);

        var (first, second) = (receiver.Requests[0], receiver.Requests[1]);
        (second.At - first.At).Should().BeGreaterThan(TimeSpan.FromSeconds(3.5), "the receiver asked for 4 s; the schedule alone would wait 1 s");
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        receiver.Answer = (r, _) => r.Path == "/hook" ? 302 : 200;
        receiver.Headers = response => response.Headers.Location = receiver.Url.Replace("/hook", "/elsewhere");
        var webhook = await Register(WebhookEventTypes.ApprovalRequired);

        await RunToPlanApprovalAndCancel();
        var delivery = (await admin.Settled(webhook.Id)).Single();

        receiver.Requests.Should().OnlyContain(r => r.Path == "/hook");
        delivery.Status.Should().Be("failed");
        delivery.Log.Should().HaveCount(6).And.OnlyContain(a => a.StatusCode == 302 && a.Error!.Contains("Redirects are not followed"));
    }

    [Fact]
    public async Task Redelivery_sends_the_event_again_with_the_same_id()
    {
        var webhook = await Register(WebhookEventTypes.ApprovalRequired);
        await RunToPlanApprovalAndCancel();
        var delivery = (await admin.Settled(webhook.Id)).Single();

        var redeliver = await admin.PostEmpty($"/api/v1/webhooks/{webhook.Id}/deliveries/{delivery.Id}/redeliver");
        redeliver.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await receiver.Until(r => r.Count == 2);

        receiver.Requests.Select(r => r.Id).Should().Equal(delivery.EventId.ToString(), delivery.EventId.ToString());
        (await admin.Settled(webhook.Id)).Single().Log.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_delivery_is_queued_in_the_transaction_of_the_change_and_not_for_one_that_rolled_back()
    {
        var webhook = await Register(WebhookEventTypes.DeploymentRunStatus);
        var runId = await RunToPlanApprovalAndCancel();
        var settled = (await admin.Settled(webhook.Id, atLeast: 5)).Length;
        await using var connection = await api.OpenDatabase();
        const string Count = "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = @Id";

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("UPDATE deployment_runs SET status = 'failed' WHERE id = @runId", new { runId }, transaction);
            (await connection.ExecuteScalarAsync<int>(Count, new { webhook.Id }, transaction)).Should().Be(settled + 1, "the change queued its delivery in its own transaction");
            await transaction.RollbackAsync();
        }

        (await connection.ExecuteScalarAsync<int>(Count, new { webhook.Id })).Should().Be(settled, "a change that rolled back sends nothing");
    }
}
