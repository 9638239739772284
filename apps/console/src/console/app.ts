import { Component } from '@angular/core';

@Component({ selector: 'pr-root', template: '<h1>Pressroom console</h1>' })
export class App {}
