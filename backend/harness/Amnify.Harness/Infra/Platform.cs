// The harnesses drive Linux processes (setsid, kill, /proc): they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
