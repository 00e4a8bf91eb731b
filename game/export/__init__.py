"""Exports: the board's numbers as files a teacher or a notebook can open (no pygame).

    write_export(board, FOLDER)          README.txt, board.json, export.json, and per
                                         sentence each head's weights and each output
                                         as .csv (labelled) and .npy (the array)
    export_to_new_folder(board)          the same in a new <level>-<time> folder under
                                         export_root() (the game's E key)
    choose_state(level, catalog, BOARD)  "start", "solution" or a saved-board FILE.json

The weights are the board's own `HeadEvaluation.weights`, which come from
`game.attention.attention_weights`; the outputs are `Evaluation.outputs`; the
board file is `game.model.saved_board.state_to_dict`, so it loads back.
"""

from game.export.board_file import (
    BOARD_CHOICES,
    BoardFileError,
    board_label,
    choose_state,
    read_board_file,
)
from game.export.readme import BOARD_FILE, MANIFEST_FILE, README_FILE
from game.export.tables import Table, board_tables
from game.export.writing import (
    EXPORT_DIR_ENV,
    ExportResult,
    export_root,
    export_to_new_folder,
    free_name,
    stamp,
    write_atomic,
    write_export,
)

__all__ = [
    "BOARD_CHOICES",
    "BOARD_FILE",
    "EXPORT_DIR_ENV",
    "MANIFEST_FILE",
    "README_FILE",
    "BoardFileError",
    "ExportResult",
    "Table",
    "board_label",
    "board_tables",
    "choose_state",
    "export_root",
    "export_to_new_folder",
    "free_name",
    "read_board_file",
    "stamp",
    "write_atomic",
    "write_export",
]
