namespace Amnify.Api.Features.Providers;

/// <summary>The fixed list of clouds; every screen and list of Deploy is scoped to one.</summary>
/// <remarks>Starts at 1 so a request that omits the provider is caught by validation, not read as AWS.</remarks>
public enum CloudProvider
{
    Aws = 1,
    Azure,
    Gcp,
}

public sealed record Provider(CloudProvider Id, string DisplayName);

public static class CloudProviders
{
    public static readonly IReadOnlyList<Provider> All =
    [
        new(CloudProvider.Aws, "Amazon Web Services"),
        new(CloudProvider.Azure, "Microsoft Azure"),
        new(CloudProvider.Gcp, "Google Cloud"),
    ];

    /// <summary>Reads a provider code as clients send it in query strings ("aws"); anything else is null.</summary>
    public static CloudProvider? Parse(string? code) =>
        All.FirstOrDefault(p => p.Id.Code() == code)?.Id;

    public static bool IsKnown(string? code) => code is null || Parse(code) is not null;

    public const string KnownCodes = "aws, azure or gcp";

    /// <summary>The value stored in the database and sent on the wire.</summary>
    public static string Code(this CloudProvider provider) => provider.ToString().ToLowerInvariant();
}
