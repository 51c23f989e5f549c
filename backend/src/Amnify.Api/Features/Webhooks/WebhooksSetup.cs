using Amnify.Api.Engine;

namespace Amnify.Api.Features.Webhooks;

public static class WebhooksSetup
{
    /// <summary>Webhook options everywhere (the API checks addresses too); the dispatcher in the roles that run the engine.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder, ProcessRole role)
    {
        var options = builder.Configuration.GetSection("Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
        if (options.Concurrency < 1 || options.PollMilliseconds < 1 || options.TimeoutSeconds < 1 || options.RetryDelays().Any(d => d < TimeSpan.Zero))
            throw new InvalidOperationException("Webhooks:Concurrency, PollMilliseconds and TimeoutSeconds must be at least 1, and RetryDelaysSeconds a list of waits in seconds.");
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection("Webhooks"));
        if (role.RunsWorker) builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
