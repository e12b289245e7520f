export declare function fib(n: number): number;
export default fib;
