using System.Collections.Concurrent;

namespace Amnify.Api.Http;

/// <summary>Live event streams (section <c>Streams</c>).</summary>
public sealed class StreamOptions
{
    /// <summary>Streams one user holds open at once, whatever their credentials (a CI token counts as its owner).</summary>
    public int PerUser { get; set; } = 20;
    /// <summary>Streams the whole process holds open at once: each is a connection and a waiter.</summary>
    public int Total { get; set; } = 1000;
    /// <summary>How often an open stream's credential is checked again: a revoked token or disabled user loses it within this time.</summary>
    public int CredentialRecheckSeconds { get; set; } = 3;
}

/// <summary>How many live event streams each user, and everyone together, may hold open at once; more answer 429.</summary>
public sealed class StreamLimits(StreamOptions options)
{
    private readonly ConcurrentDictionary<string, int> open = new();
    private int total;

    /// <summary>A lease on one stream slot, or null when the caller or the process already holds its limit.</summary>
    /// <param name="caller">The user id, so look-alike names never share a cap and one person's tokens do.</param>
    public IDisposable? TryOpen(string caller)
    {
        if (Interlocked.Increment(ref total) > options.Total)
        {
            Interlocked.Decrement(ref total);
            return null;
        }
        var count = open.AddOrUpdate(caller, 1, (_, n) => n + 1);
        if (count <= options.PerUser) return new Slot(this, caller);
        Release(caller);
        return null;
    }

    private void Release(string caller)
    {
        open.AddOrUpdate(caller, 0, (_, n) => Math.Max(0, n - 1));
        Interlocked.Decrement(ref total);
    }

    private sealed class Slot(StreamLimits limits, string caller) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) limits.Release(caller);
        }
    }

    public IResult TooMany() => Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many streams",
        detail: $"At most {options.PerUser} live event streams per user and {options.Total} in all; close one, or poll the run instead.");
}
