namespace Amnify.Api.Http;

/// <summary>Version-based ETags: <c>"7"</c> for version 7. If-Match compares against the version a change expects.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>
    /// The version an <c>If-Match</c> header asks for: null when there is no precondition (absent or <c>*</c>),
    /// -1 when the header names no version this server made (it can only fail to match).
    /// </summary>
    public static int? ExpectedVersion(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*") return null;
        var tag = header.Split(',')[0].Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && int.TryParse(tag[1..^1], out var version) && version > 0 ? version : -1;
    }
}
