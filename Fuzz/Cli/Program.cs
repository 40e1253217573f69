using P2M.Fuzz.Cli;

// p2mfuzz: the command line lives in P2MFuzzCommandLine (one file per command beside it), so
// tests can run it in-process with their own writers.
return P2MFuzzCommandLine.Run(args, Console.Out, Console.Error);
