using System.Runtime.CompilerServices;

// Unit tests and benchmarks reach PTE packing, chunking and the vectorised scans directly.
[assembly: InternalsVisibleTo("Engine.Tests")]
[assembly: InternalsVisibleTo("P2M.Bench")]
