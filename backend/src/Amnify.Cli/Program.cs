using Amnify.Cli;

return await new Commands(Console.Out, Console.Error).Run(args);
