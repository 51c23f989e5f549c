using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Amnify.Api.Auth;

public static class AuthSetup
{
    public const string ClientHeader = "X-Amnify-Client";

    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAuthentication(AmnifyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AmnifyAuthentication>(AmnifyAuthentication.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        // Closed by default: a route that names no policy needs a signed-in reader (as Read does); the few open ones
        // (health, sign-in, the API document, the SPA) say AllowAnonymous.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new RoleRequirement(Role.Viewer)).Build())
            .AddPolicy(Policies.Read, p => p.AddRequirements(new RoleRequirement(Role.Viewer)))
            .AddPolicy(Policies.Operate, p => p.AddRequirements(new RoleRequirement(Role.Operator)))
            .AddPolicy(Policies.Approve, p => p.AddRequirements(new RoleRequirement(Role.Approver)))
            .AddPolicy(Policies.Admin, p => p.AddRequirements(new RoleRequirement(Role.Admin)));
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddSingleton<CredentialWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CredentialWatch>());
        builder.Services.AddSingleton<VerifiedCredentials>();
        builder.Services.AddHostedService(services => services.GetRequiredService<VerifiedCredentials>());
        builder.Services.AddSingleton<TokenUsage>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TokenUsage>());
        builder.Services.AddSingleton<PasswordCheck>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait))
                    context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ValueTask(Results.Problem(statusCode: 429, title: "Too many requests",
                    detail: "Too many sign-in attempts from this address; wait a minute.").ExecuteAsync(context.HttpContext));
            };
            o.AddPolicy("login", http => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) }));
        });
        return builder;
    }

    public static WebApplication UseAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.Use(RequireClientHeaderForCookieChanges);
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Anti-forgery for the session cookie: a change made with the cookie must carry a custom header,
    /// which a cross-site form or image cannot send (SameSite=Strict is the first line).
    /// </summary>
    private static Task RequireClientHeaderForCookieChanges(HttpContext context, RequestDelegate next)
    {
        var safe = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method);
        if (!safe && context.User.FindFirst(AmnifyAuthentication.MethodClaim)?.Value == "ui" && !context.Request.Headers.ContainsKey(ClientHeader))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"Changes made with the session cookie must send the {ClientHeader} header.").ExecuteAsync(context);
        return next(context);
    }
}
