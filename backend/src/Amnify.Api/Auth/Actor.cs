namespace Amnify.Api.Auth;

/// <summary>Who is calling, as recorded on runs and approvals.</summary>
public sealed record Actor(string Name)
{
    public static Actor From(HttpContext context) => new(context.User.Identity?.Name is { Length: > 0 } name ? name : "anonymous");
}
