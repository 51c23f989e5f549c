using System.Collections.Concurrent;

namespace Amnify.Api.Http;

/// <summary>How many live event streams one caller may hold open at once; more answer 429.</summary>
public sealed class StreamLimits
{
    public const int PerCaller = 20;
    private readonly ConcurrentDictionary<string, int> open = new();

    /// <summary>A lease on one stream slot, or null when the caller already holds <see cref="PerCaller"/>.</summary>
    public IDisposable? TryOpen(string caller)
    {
        var count = open.AddOrUpdate(caller, 1, (_, n) => n + 1);
        if (count <= PerCaller) return new Slot(this, caller);
        Release(caller);
        return null;
    }

    private void Release(string caller) => open.AddOrUpdate(caller, 0, (_, n) => Math.Max(0, n - 1));

    private sealed class Slot(StreamLimits limits, string caller) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) limits.Release(caller);
        }
    }

    public static IResult TooMany() => Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many streams",
        detail: $"At most {PerCaller} live event streams per caller; close one, or poll the run instead.");
}
