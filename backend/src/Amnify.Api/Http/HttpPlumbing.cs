using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;

namespace Amnify.Api.Http;

public static class HttpPlumbing
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddHttpPlumbing(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ConfigureJson(o.JsonSerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        var streams = builder.Configuration.GetSection("Streams").Get<StreamOptions>() ?? new StreamOptions();
        if (streams.PerUser < 1 || streams.Total < 1 || streams.CredentialRecheckSeconds < 1)
            throw new InvalidOperationException("Streams:PerUser, Streams:Total and Streams:CredentialRecheckSeconds must be at least 1.");
        builder.Services.AddSingleton(streams);
        builder.Services.AddSingleton<StreamLimits>();
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
            // The framework skips localhost; a browser only honours HSTS over HTTPS anyway, which is when it is sent.
            o.ExcludedHosts.Clear();
        });
        builder.Services.AddForwardedHeaders(builder.Configuration.GetSection("ForwardedHeaders"));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.ProblemDetails.Extensions.Remove(FailureProblems.RetryAfterKey, out var wait) && wait is TimeSpan retryAfter)
                c.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (c.ProblemDetails.Detail is not null) return;
            c.ProblemDetails.Detail = c.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"Nothing at {c.HttpContext.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{c.HttpContext.Request.Method} is not allowed on {c.HttpContext.Request.Path}.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => null,
            };
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Amnify Deploy API",
                Version = "v1",
                Description = "Provision cloud infrastructure with Terraform: deployments, pipelines, runs and approvals.",
            });
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired();
            o.CustomSchemaIds(SchemaIds.For);
            o.DocumentFilter<EventStreamDocs>();
            o.DocumentFilter<StableRequired>();
            o.DocumentFilter<ContractDocument>();
            o.OperationFilter<ContractDocument>();
            o.SchemaFilter<ContractDocument>();
        });
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null; // keys such as AWS_REGION are data, not names
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        NulGuard.AddConverters(options);
    }

    public static WebApplication UseHttpPlumbing(this WebApplication app)
    {
        app.Use(SecurityHeaders);
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // empty 404/405/415 answers get a problem-details body too
        app.Use(LimitBody);
        app.Use(NulGuard.RejectInRequest);
        app.UseHsts();
        return app;
    }

    /// <summary>
    /// The served OpenAPI document (an open endpoint) and its UI (static files answered before authorization); only the
    /// roles that serve the API have them.
    /// </summary>
    public static WebApplication UseApiDocs(this WebApplication app)
    {
        app.MapSwagger().AllowAnonymous();
        // In a branch: the UI's middleware matches every request's path against regular expressions.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"),
            docs => docs.UseSwaggerUI(o => o.SwaggerEndpoint("/swagger/v1/swagger.yaml", "Amnify Deploy API v1")));
        return app;
    }

    /// <summary>
    /// No framing, no sniffing, no referrer leaks; the SPA may load only its own scripts (Mantine needs inline
    /// styles). CORS stays closed: no CORS middleware, so browsers refuse cross-origin calls.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/swagger")
            ? "frame-ancestors 'none'"
            : "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        return next(context);
    }

    /// <summary>Refuses a declared oversized body before reading it; Kestrel enforces the same limit on streamed bodies.</summary>
    private static Task LimitBody(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength > MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"The request body may be at most {MaxRequestBodyBytes} bytes.").ExecuteAsync(context);
        }
        return next(context);
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Health("ok"))).WithTags("Health").WithName("Healthz")
            .WithSummary("The process is up.").AllowAnonymous();
        app.MapGet("/readyz", async (Database.Db db, Terraform.Sandbox sandbox, CancellationToken ct) =>
            {
                try
                {
                    await db.Read((c, token) => Dapper.SqlMapper.ExecuteScalarAsync<int>(c, new Dapper.CommandDefinition("SELECT 1", cancellationToken: token)), ct);
                    return Results.Ok(new Health("ready") { Warnings = sandbox.Warnings });
                }
                catch (Npgsql.NpgsqlException)
                {
                    return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Not ready", detail: "The database cannot be reached.");
                }
            })
            .WithTags("Health").WithName("Readyz").WithSummary("The database is reachable.")
            .Produces<Health>().ProducesProblem(StatusCodes.Status503ServiceUnavailable).AllowAnonymous();
    }

    private static Microsoft.Extensions.FileProviders.PhysicalFileProvider? SpaFiles(WebApplication app) =>
        app.Configuration["Spa:Root"] is { Length: > 0 } root && Directory.Exists(root)
            ? new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(root))
            : null;

    /// <summary>
    /// The built SPA's files (scripts, styles, images): public, as any web app's bundle is, so they are answered before
    /// authorization, which would otherwise close them with its fallback policy (they are files, not endpoints).
    /// </summary>
    public static WebApplication UseSpaFiles(this WebApplication app)
    {
        if (SpaFiles(app) is not { } files) return app;
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }

    /// <summary>Any non-API path falls back to the SPA's index.html (open to all) so deep links work.</summary>
    public static void MapSpa(this WebApplication app)
    {
        if (SpaFiles(app) is not { } files) return;
        // Only GET and HEAD: a fallback for every method would also win whenever a real endpoint is ruled out by
        // its content type, turning a bare POST or a wrong Content-Type into "No endpoint" instead of the action
        // or a 415.
        app.MapFallback("{*path:nonfile}", async context =>
        {
            if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/swagger"))
            {
                await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                    detail: $"No endpoint at {context.Request.Path}.").ExecuteAsync(context);
                return;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).AllowAnonymous();
    }
}

public sealed record Health(string Status)
{
    /// <summary>What an operator must know although the process works, e.g. template code running unsandboxed.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
