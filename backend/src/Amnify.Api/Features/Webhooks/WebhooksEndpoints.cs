using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Webhooks;

public static class WebhooksEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Admin);
        webhooks.MapGet("/", ListWebhooksEndpoint.Handle).WithName("ListWebhooks").WithSummary("Webhook endpoints (admin); secrets are never shown again.").Fails<ListWebhooks>();
        webhooks.MapPost("/", CreateWebhookEndpoint.Handle).WithName("CreateWebhook")
            .WithSummary("Registers an endpoint for some or all event types (admin); the answer is the only time its signing secret is shown.").Fails<CreateWebhook>();
        webhooks.MapDelete("/{id:guid}", DeleteWebhookEndpoint.Handle).WithName("DeleteWebhook").WithSummary("Removes an endpoint and its deliveries (admin).").Fails<DeleteWebhook>();
        webhooks.MapGet("/{id:guid}/deliveries", ListWebhookDeliveriesEndpoint.Handle).WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's latest deliveries, newest first, each with every attempt (status, duration) (admin).").Fails<ListWebhookDeliveries>();
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverWebhookEndpoint.Handle).WithName("RedeliverWebhook")
            .WithSummary("Sends a delivery again now, with the same webhook-id (admin).").Fails<RedeliverWebhook>();
        return api;
    }
}
