"""The quiz screens: who and which phase (`start`), one question at a time (`question`, with
its `choice` buttons) and the summary with Export CSV (`summary`); `flow` connects them to
the answers file. The quiz itself (packs, runs, answers) is `game.quiz`, with no pygame."""
