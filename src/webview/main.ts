// Response panel browser code (see issue 5).
export {};
