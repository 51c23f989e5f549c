using System.Security.Claims;

namespace Amnify.Api.Auth;

/// <summary>
/// The identity <see cref="AmnifyAuthentication"/> builds: its claims, plus what authorization asks on every request
/// (the caller's role and user id, a pipeline token's pipeline and its owner's role) already parsed, once per verified
/// credential.
/// </summary>
public sealed class AmnifyIdentity(IEnumerable<Claim> claims, Caller caller, string? pipeline, Role? ownerRole)
    : ClaimsIdentity(claims, AmnifyAuthentication.SchemeName)
{
    /// <summary>The caller as permissions see them: no role for a pipeline trigger token, whose user id is its owner's.</summary>
    public Caller Caller { get; } = caller;

    /// <summary>The pipeline a pipeline trigger token may trigger (the <see cref="AmnifyAuthentication.PipelineClaim"/>).</summary>
    public string? Pipeline { get; } = pipeline;

    /// <summary>A pipeline trigger token's owner's role (the <see cref="AmnifyAuthentication.OwnerRoleClaim"/>).</summary>
    public Role? OwnerRole { get; } = ownerRole;

    /// <summary>The caller's identity when <see cref="AmnifyAuthentication"/> authenticated them; null for anyone else.</summary>
    public static AmnifyIdentity? Of(ClaimsPrincipal user) => user.Identity as AmnifyIdentity;
}
