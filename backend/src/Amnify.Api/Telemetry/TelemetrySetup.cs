using System.Security.Cryptography;
using System.Text;
using Amnify.Api.Engine;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Amnify.Api.Telemetry;

/// <summary>The <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// The bearer token a scraper sends to <c>/metrics</c>. Unset, the endpoint answers 404: metrics are off until an
    /// operator chooses who may read them.
    /// </summary>
    public string? ScrapeToken { get; set; }
}

/// <summary>
/// OpenTelemetry for every role: the <c>Amnify</c> meter, ASP.NET Core's and HttpClient's, served as Prometheus text on
/// <c>/metrics</c>; and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, traces exported over OTLP (the exporter reads
/// the standard <c>OTEL_*</c> settings itself).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static void AddTelemetry(this WebApplicationBuilder builder, ProcessRole role)
    {
        builder.Services.Configure<MetricsOptions>(builder.Configuration.GetSection("Metrics"));
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("amnify-deploy").AddAttributes([new("amnify.role", role.Name)]))
            .WithMetrics(metrics => metrics
                .AddMeter(AmnifyMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .DropPerRequestDuplicates()
                .AddPrometheusExporter());
        if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
            telemetry.WithTracing(tracing => tracing
                .AddSource(RunTracing.SourceName)
                // Probes and scrapes every few seconds would drown the traces that matter.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
    }

    /// <summary>
    /// ASP.NET Core 10's meters that record several measurements on every request (authentication's duration,
    /// authorization's attempts, the memory pool's rentals) and say nothing the request duration's route and status do
    /// not: dropped, their instruments stay disabled and cost nothing. What the README lists stays.
    /// </summary>
    private static MeterProviderBuilder DropPerRequestDuplicates(this MeterProviderBuilder metrics) => metrics
        .AddView("aspnetcore.authentication.*", MetricStreamConfiguration.Drop)
        .AddView("aspnetcore.authorization.*", MetricStreamConfiguration.Drop)
        .AddView("aspnetcore.memory_pool.*", MetricStreamConfiguration.Drop);

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    /// <summary>
    /// <c>/metrics</c> on every role, guarded by its own scrape token rather than a user's session or API token: a worker
    /// has no users to check against, and a scraper should not hold a person's rights.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
        var role = new ProcessRole(app.Services.GetRequiredService<IOptions<EngineOptions>>().Value.Role);
        // The provider starts listening when first resolved; series that must exist from the start are made after that.
        app.Services.GetRequiredService<MeterProvider>();
        AmnifyMetrics.StartSeries(role);
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(GuardScrape), optionsName: null)
            .WithMetadata(new HttpMethodMetadata(["GET"]))
            .WithDisplayName("Metrics")
            .AllowAnonymous();
    }

    private static async Task GuardScrape(HttpContext context, RequestDelegate next)
    {
        var token = context.RequestServices.GetRequiredService<IOptionsMonitor<MetricsOptions>>().CurrentValue.ScrapeToken;
        if (token is not { Length: > 0 })
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: "Metrics are off: set Metrics__ScrapeToken and scrape with Authorization: Bearer <that token>.").ExecuteAsync(context);
            return;
        }
        if (!Matches(context.Request.Headers.Authorization.ToString(), token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Send Authorization: Bearer <Metrics__ScrapeToken>.").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>Compares hashes in constant time, so neither the token nor its length leaks through timing.</summary>
    private static bool Matches(string header, string token)
    {
        const string scheme = "Bearer ";
        var sent = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
