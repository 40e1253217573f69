using System.Runtime.CompilerServices;

// Unit tests check PTE packing, chunking and the vectorised scans directly.
[assembly: InternalsVisibleTo("Engine.Tests")]
