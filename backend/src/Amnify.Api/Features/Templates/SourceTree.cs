using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Amnify.Api.Features.Templates;

/// <summary>
/// A template source read without trusting it. A link is followed only when its final target lies inside the
/// source root; only regular files are opened, so a FIFO, device or socket can neither hang the sync nor leak
/// the server's files; every file must be UTF-8 text without NUL within the size limit. Whatever is wrong
/// becomes a reason for the sync report, never an exception, and never quotes the file's content.
/// </summary>
internal sealed class SourceTree
{
    private SourceTree(string root) => Root = root;

    /// <summary>The real path of the source's root folder.</summary>
    public string Root { get; }

    /// <summary>The tree under <paramref name="path"/>, by its real path (links resolved), or null if it is not a folder.</summary>
    public static SourceTree? Open(string path) =>
        Native.RealPath(path) is { } real && Native.TypeOf(real) == EntryType.Directory ? new SourceTree(real) : null;

    /// <summary>
    /// The real path of <paramref name="name"/> inside the folder <paramref name="dir"/> when it is a folder inside the root;
    /// otherwise null with the reason, or null without one for anything that is simply not a folder.
    /// </summary>
    public (string? Path, string? Problem) Folder(string dir, string name)
    {
        var (real, type, problem) = Resolve(Path.Combine(dir, name));
        if (problem is not null) return (null, problem);
        return type == EntryType.Directory ? (real, null) : (null, null);
    }

    /// <summary>The sub-folders of a folder of the tree, in ordinal order, each as (name, real path or null, problem).</summary>
    public IEnumerable<(string Name, string? Path, string? Problem)> Folders(string dir)
    {
        foreach (var name in Names(dir))
            if (Folder(dir, name) is var (path, problem) && (path is not null || problem is not null))
                yield return (name, path, problem);
    }

    private static IEnumerable<string> Names(string dir) =>
        Directory.EnumerateFileSystemEntries(dir).Select(entry => Path.GetFileName(entry)).Order(StringComparer.Ordinal);

    /// <summary>
    /// Reads every file directly in <paramref name="dir"/> (dot files and sub-folders are not part of a template).
    /// Answers the files it could read by name, and every reason the folder cannot be a template's.
    /// </summary>
    public (SortedDictionary<string, string> Files, List<string> Problems) ReadFiles(string dir, long maxFileBytes, long maxTotalBytes)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var regular = new List<(string Name, string Path, long Size)>();
        foreach (var name in Names(dir))
        {
            if (name.StartsWith('.')) continue;
            var (real, type, problem) = Resolve(Path.Combine(dir, name));
            if (problem is not null) problems.Add($"{name}: {problem}");
            else if (type is EntryType.Directory) continue;
            else if (type is not EntryType.Regular) problems.Add($"{name}: is a FIFO, device or socket, not a regular file.");
            else if (Native.SizeOf(real!) is var size && size > maxFileBytes)
                problems.Add($"{name}: is {size} bytes; a template file may be at most {maxFileBytes} bytes.");
            else regular.Add((name, real!, size));
        }
        var tooBig = regular.Sum(f => f.Size) > maxTotalBytes;
        if (tooBig) problems.Add($"The template's files add up to more than {maxTotalBytes / 1024 / 1024} MB.");

        // Even a rejected folder's template.json is read: the sync needs its id to keep the last good version.
        foreach (var (name, path, _) in tooBig ? regular.Where(f => f.Name == "template.json") : regular)
        {
            var (text, problem) = ReadText(path, maxFileBytes);
            if (problem is not null) problems.Add($"{name}: {problem}");
            else files[name] = text!;
        }
        return (files, problems);
    }

    /// <summary>Follows <paramref name="path"/> to its final target and says what it is, refusing targets outside the root.</summary>
    private (string? Real, EntryType Type, string? Problem) Resolve(string path)
    {
        var real = Native.RealPath(path);
        if (real is null)
            return Native.TypeOf(path) == EntryType.Missing ? (null, EntryType.Missing, null) : (null, EntryType.Missing, "is a broken link or cannot be read.");
        if (real != Root && !real.StartsWith(Root + "/", StringComparison.Ordinal))
            return (null, EntryType.Missing, "links outside the template source; only links within it are followed.");
        return (real, Native.TypeOf(real), null);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static (string? Text, string? Problem) ReadText(string path, long maxFileBytes)
    {
        byte[] bytes;
        try
        {
            bytes = Native.ReadRegularFile(path, maxFileBytes + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return (null, "could not be read.");
        }
        if (bytes.Length > maxFileBytes) return (null, $"is more than {maxFileBytes} bytes; a template file may be at most that.");
        var content = bytes.AsSpan();
        if (content.StartsWith(StrictUtf8Bom)) content = content[StrictUtf8Bom.Length..];
        if (content.Contains((byte)0)) return (null, "holds a NUL byte; template files must be text.");
        try
        {
            return (StrictUtf8.GetString(content), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, "is not UTF-8 text.");
        }
    }

    private static ReadOnlySpan<byte> StrictUtf8Bom => [0xEF, 0xBB, 0xBF];

    private enum EntryType { Missing, Regular, Directory, Other }

    /// <summary>
    /// The few POSIX calls .NET does not expose: realpath, the file type without opening (statx, so Linux, where the
    /// server runs), and a non-blocking open.
    /// </summary>
    private static class Native
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const uint StatxType = 0x1;
        private const uint StatxSize = 0x200;
        private const int ORdOnly = 0;
        private const int ONonBlock = 0x800;
        private const int OCloExec = 0x80000;

        // struct statx has the same layout on every Linux architecture; only the type bits and size are read.
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        private struct StatxBuffer
        {
            [FieldOffset(28)] public ushort Mode;
            [FieldOffset(40)] public ulong Size;
        }

        [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
        private static extern IntPtr realpath(string path, IntPtr resolved);

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int open(string path, int flags);

        public static string? RealPath(string path)
        {
            var resolved = realpath(path, IntPtr.Zero);
            if (resolved == IntPtr.Zero) return null;
            try
            {
                return Marshal.PtrToStringUTF8(resolved);
            }
            finally
            {
                Marshal.FreeHGlobal(resolved); // malloc'd by realpath; FreeHGlobal is free() on Unix
            }
        }

        public static EntryType TypeOf(string path) =>
            statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, out var buffer) != 0 ? EntryType.Missing : (buffer.Mode & 0xF000) switch
            {
                0x8000 => EntryType.Regular,
                0x4000 => EntryType.Directory,
                _ => EntryType.Other,
            };

        public static long SizeOf(string path) =>
            statx(AtFdCwd, path, AtSymlinkNoFollow, StatxSize, out var buffer) == 0 ? (long)buffer.Size : 0;

        /// <summary>
        /// Reads at most <paramref name="max"/> bytes. Opened non-blocking, so a file swapped for a FIFO since it was
        /// checked cannot hang the read; a FIFO is not seekable, so RandomAccess refuses it.
        /// </summary>
        public static byte[] ReadRegularFile(string path, long max)
        {
            var fd = open(path, ORdOnly | ONonBlock | OCloExec);
            if (fd < 0) throw new IOException($"open failed with errno {Marshal.GetLastPInvokeError()}.");
            using var handle = new SafeFileHandle(fd, ownsHandle: true);
            using var content = new MemoryStream();
            var chunk = new byte[64 * 1024];
            while (content.Length < max)
            {
                var read = RandomAccess.Read(handle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, max - content.Length)), content.Length);
                if (read == 0) break;
                content.Write(chunk, 0, read);
            }
            return content.ToArray();
        }
    }
}
