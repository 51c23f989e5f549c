using Amnify.Api.Auth;

namespace Amnify.Api.Features.Access;

public static class AccessEndpoints
{
    public static RouteGroupBuilder MapAccess(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Access");
        auth.MapPost("/login", LoginEndpoint.Handle).WithName("Login").AllowAnonymous().RequireRateLimiting("login")
            .WithSummary("Signs in with email and password; sets the session cookie.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", LogoutEndpoint.Handle).WithName("Logout").AllowAnonymous().WithSummary("Ends the session.");
        api.MapGet("/me", GetMeEndpoint.Handle).WithName("GetMe").WithTags("Access").RequireAuthorization(Policies.Read)
            .WithSummary("Who is calling, with which role.").ProducesProblem(StatusCodes.Status401Unauthorized);

        var users = api.MapGroup("/users").WithTags("Access").RequireAuthorization(Policies.Admin);
        users.MapGet("/", ListUsersEndpoint.Handle).WithName("ListUsers").WithSummary("Users (admin).");
        users.MapPost("/", CreateUserEndpoint.Handle).WithName("CreateUser").WithSummary("Adds a user (admin).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPatch("/{id:guid}", UpdateUserEndpoint.Handle).WithName("UpdateUser")
            .WithSummary("Changes a user's role, name or password, or disables them (admin).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var tokens = api.MapGroup("/tokens").WithTags("Access").RequireAuthorization(Policies.Read);
        tokens.MapGet("/", ListApiTokensEndpoint.Handle).WithName("ListApiTokens").WithSummary("Your API tokens (values are never shown again).");
        tokens.MapPost("/", CreateApiTokenEndpoint.Handle).WithName("CreateApiToken")
            .WithSummary("Creates a personal or pipeline trigger token; the answer is the only time its value is shown.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        tokens.MapDelete("/{id:guid}", RevokeApiTokenEndpoint.Handle).WithName("RevokeApiToken")
            .WithSummary("Revokes a token.").ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/audit-events", ListAuditEventsEndpoint.Handle).WithName("ListAuditEvents").WithTags("Access")
            .RequireAuthorization(Policies.Admin).WithSummary("The audit log (admin).").ProducesValidationProblem();
        return api;
    }
}
