using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Wschat.MicroBench.ProtocolBenchmarks).Assembly).Run(args);
