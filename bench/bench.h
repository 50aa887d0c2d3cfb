/*
 * bench.h — what the benchmark programs share: the words the generators
 * build their Chinese and English headlines from (bench_store's cache and
 * gen_feeds' feeds, so both benchmarks read the same kind of text), and the
 * clock and comparison the timers use. Included by each bench program.
 */
#ifndef XCDASH_BENCH_H
#define XCDASH_BENCH_H

#include <time.h>

/* Monotonic seconds. */
static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort order for doubles, for medians. */
static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *const words_zh[] = {
    "算力",     "芯片",     "大模型",   "涨停",   "订单",     "国产替代", "算力芯片",
    "智算中心", "算力租赁", "AI服务器", "液冷",   "光模块",   "信创",     "推理",
    "训练集群", "万卡集群", "先进封装", "HBM",    "国产GPU",  "自主可控", "数据中心",
    "东数西算", "开源模型", "端侧AI",   "科创板", "业绩预增", "产能",     "出口管制",
};
static const char *const words_en[] = {
    "AI chips",           "compute",           "large models",
    "export controls",    "self-reliance",     "data centres",
    "inference",          "training clusters", "HBM",
    "liquid cooling",     "optical modules",   "GPU leasing",
    "open-weight models", "the STAR Market",   "Nvidia H20 supply",
    "token prices",
};
static const char *const outlets_zh[] = { "证券时报", "第一财经", "财联社",
                                          "36氪",     "界面新闻", "21世纪经济报道" };
static const char *const banks_en[] = { "CICC",      "Citic Securities", "Morgan Stanley",
                                        "Jefferies", "Bernstein",        "Huatai Securities" };
static const char *const days_en[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" };
static const char *const authors[] = { "记者 张伟",     "记者 李娜",      "王磊",    "陈静",
                                       "Reuters staff", "Bloomberg News", "Li Ming", "刘洋" };

#endif
