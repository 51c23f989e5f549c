using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Access;

public static class AccessEndpoints
{
    public static RouteGroupBuilder MapAccess(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Access");
        auth.MapPost("/login", LoginEndpoint.Handle).WithName("Login").AllowAnonymous().RequireRateLimiting("login")
            .WithSummary("Signs in with email and password; sets the session cookie.").Fails<Login>();
        auth.MapPost("/logout", LogoutEndpoint.Handle).WithName("Logout").AllowAnonymous().WithSummary("Ends the session.").Fails<Logout>();
        api.MapGet("/me", GetMeEndpoint.Handle).WithName("GetMe").WithTags("Access").RequireAuthorization(Policies.Read)
            .WithSummary("Who is calling, with which role.").Fails<GetMe>(FailureKind.Unauthorized);

        var users = api.MapGroup("/users").WithTags("Access").RequireAuthorization(Policies.Admin);
        users.MapGet("/", ListUsersEndpoint.Handle).WithName("ListUsers").WithSummary("Users (admin).").Fails<ListUsers>();
        users.MapPost("/", CreateUserEndpoint.Handle).WithName("CreateUser").WithSummary("Adds a user (admin).").Fails<CreateUser>();
        users.MapPatch("/{id:guid}", UpdateUserEndpoint.Handle).WithName("UpdateUser")
            .WithSummary("Changes a user's role, name or password, or disables them (admin).").Fails<UpdateUser>();

        var tokens = api.MapGroup("/tokens").WithTags("Access").RequireAuthorization(Policies.Read);
        tokens.MapGet("/", ListApiTokensEndpoint.Handle).WithName("ListApiTokens").WithSummary("Your API tokens (values are never shown again).").Fails<ListApiTokens>();
        tokens.MapPost("/", CreateApiTokenEndpoint.Handle).WithName("CreateApiToken")
            .WithSummary("Creates a personal or pipeline trigger token; the answer is the only time its value is shown.").Fails<CreateApiToken>();
        tokens.MapDelete("/{id:guid}", RevokeApiTokenEndpoint.Handle).WithName("RevokeApiToken")
            .WithSummary("Revokes a token.").Fails<RevokeApiToken>();

        api.MapGet("/audit-events", ListAuditEventsEndpoint.Handle).WithName("ListAuditEvents").WithTags("Access")
            .RequireAuthorization(Policies.Admin).WithSummary("The audit log (admin).").Fails<ListAuditEvents>();
        api.MapGet("/audit-events/actions", ListAuditActionsEndpoint.Handle).WithName("ListAuditActions").WithTags("Access")
            .RequireAuthorization(Policies.Admin).WithSummary("Every action the audit log records, to filter it by (admin).").Fails<ListAuditActions>();
        return api;
    }
}
